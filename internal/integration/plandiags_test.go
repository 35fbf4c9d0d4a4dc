package integration_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

// terraform-plugin-testing offers no check on warnings, so the tests that
// assert them run `terraform plan -json` themselves, against the provider
// served in-process (the same reattach mechanism the test framework uses),
// and read the diagnostics Terraform prints. (Terraform 1.11 shows a
// diagnostic on a nested attribute at the resource block, not at the
// attribute, so the provider names the attribute in the detail as well.)

const providerAddress = "registry.terraform.io/entropy-data/entropydata"

// planDiagnostic is one diagnostic of `terraform plan -json`.
type planDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

func (d planDiagnostic) String() string {
	return fmt.Sprintf("%s on %s: %s: %s", d.Severity, d.Address, d.Summary, d.Detail)
}

// tfDir is a Terraform working directory whose provider is served
// in-process against a sandbox.
type tfDir struct {
	t    *testing.T
	dir  string
	env  []string
	init bool
}

func newTFDir(t *testing.T, sb *sandbox.Sandbox, opts ...provider.Option) *tfDir {
	t.Helper()
	return &tfDir{t: t, dir: t.TempDir(),
		env: append(os.Environ(), "TF_REATTACH_PROVIDERS="+serveProvider(t, sb, opts...), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")}
}

// plan runs `terraform plan` on config (a provider block for the sandbox
// must be part of it) and returns the diagnostics, errors included.
func (w *tfDir) plan(config string) []planDiagnostic {
	w.t.Helper()
	return w.run(config, "plan", "-json", "-input=false", "-lock=false")
}

// apply runs `terraform apply` and returns the diagnostics.
func (w *tfDir) apply(config string) []planDiagnostic {
	w.t.Helper()
	return w.run(config, "apply", "-json", "-input=false", "-lock=false", "-auto-approve")
}

func (w *tfDir) run(config string, args ...string) []planDiagnostic {
	w.t.Helper()
	hcl := fmt.Sprintf("terraform {\n  required_providers {\n    entropydata = { source = %q }\n  }\n}\n", providerAddress) + config
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		w.t.Fatal(err)
	}
	if !w.init {
		w.terraform("init", "-input=false", "-no-color")
		w.init = true
	}
	out := w.terraform(args...)
	var diags []planDiagnostic
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var line struct {
			Type       string          `json:"type"`
			Diagnostic *planDiagnostic `json:"diagnostic"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			w.t.Fatalf("terraform %s printed %q: %v", args[0], sc.Text(), err)
		}
		if line.Type == "diagnostic" && line.Diagnostic != nil {
			diags = append(diags, *line.Diagnostic)
		}
	}
	return diags
}

// terraform runs one command; only init must succeed, as plan and apply
// report their failures as diagnostics.
func (w *tfDir) terraform(args ...string) []byte {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && args[0] != "init") {
		w.t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return out
}

// detailedExitCode runs `terraform plan -detailed-exitcode` on the
// configuration last written: 0 means no changes, 2 changes, 1 an error.
func (w *tfDir) detailedExitCode() int {
	w.t.Helper()
	cmd := exec.Command("terraform", "plan", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color")
	cmd.Dir, cmd.Env = w.dir, w.env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		if exit.ExitCode() != 2 {
			w.t.Logf("terraform plan:\n%s", out)
		}
		return exit.ExitCode()
	}
	w.t.Fatalf("terraform plan: %v", err)
	return -1
}

// find returns the diagnostics with this severity and summary.
func find(diags []planDiagnostic, severity, summary string) []planDiagnostic {
	var out []planDiagnostic
	for _, d := range diags {
		if d.Severity == severity && d.Summary == summary {
			out = append(out, d)
		}
	}
	return out
}

// expectDiagnostic fails the test unless a diagnostic with this severity
// and summary has a detail containing every one of the texts.
func expectDiagnostic(t *testing.T, diags []planDiagnostic, severity, summary string, texts ...string) {
	t.Helper()
next:
	for _, d := range find(diags, severity, summary) {
		for _, s := range texts {
			if !strings.Contains(d.Detail, s) {
				continue next
			}
		}
		return
	}
	t.Errorf("no %s %q saying %q; Terraform reported:\n%s", severity, summary, texts, diagList(diags))
}

func diagList(diags []planDiagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}

// serveProvider serves the provider, configured for sb, until the test
// ends, and returns the TF_REATTACH_PROVIDERS value that points Terraform
// at it.
func serveProvider(t *testing.T, sb *sandbox.Sandbox, opts ...provider.Option) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	opts = append([]provider.Option{provider.WithHTTPClient(sb.HTTPClient())}, opts...)
	factory := providerserver.NewProtocol6(provider.New("acctest", opts...)())
	go func() {
		err := tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return factory() },
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithoutLogStderrOverride(), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			t.Errorf("serve provider: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider server did not start")
	}
	type addr struct{ Network, String string }
	b, err := json.Marshal(map[string]any{providerAddress: map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": addr{cfg.Addr.Network(), cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
