// Package e2e drives the provider binary the way users do: built with
// `go build`, installed through dev_overrides, run by the terraform CLI as a
// separate process against the sandbox. It covers what in-process
// acceptance tests cannot see: the provider's own logs, the state file,
// `terraform show -json`, and high -parallelism.
package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// providerDir builds the provider once per test process and returns the
// directory holding the binary.
func providerDir(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("end-to-end tests run with TF_ACC=1 (make test)")
	}
	buildOnce.Do(func() { binDir, buildErr = buildProvider("entropydata-e2e-bin-") })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// buildProvider builds the provider binary from the repository root into a
// new temporary directory and returns that directory.
func buildProvider(prefix string, flags ...string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	_, file, _, _ := runtime.Caller(0)
	args := append(append([]string{"build"}, flags...), "-o", filepath.Join(dir, "terraform-provider-entropydata"), ".")
	cmd := exec.Command("go", args...)
	cmd.Dir = filepath.Join(filepath.Dir(file), "..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return dir, nil
}

// workspace is a Terraform working directory wired to a sandbox.
type workspace struct {
	t   *testing.T
	dir string
	env []string
}

func newWorkspace(t *testing.T, sb *sandbox.Sandbox, extraEnv ...string) *workspace {
	t.Helper()
	bin := providerDir(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "entropy-data/entropydata" = %q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	for _, kv := range sb.Env() {
		env = append(env, kv[0]+"="+kv[1])
	}
	return &workspace{t: t, dir: dir, env: append(env, extraEnv...)}
}

func (w *workspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *workspace) read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// setEnv sets (or replaces) an environment variable for later commands.
func (w *workspace) setEnv(key, value string) {
	for i, kv := range w.env {
		if strings.HasPrefix(kv, key+"=") {
			w.env[i] = key + "=" + value
			return
		}
	}
	w.env = append(w.env, key+"="+value)
}

// terraform runs a terraform command and fails the test when it fails.
func (w *workspace) terraform(args ...string) string {
	w.t.Helper()
	out, err := w.try(args...)
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// try runs a terraform command and returns its combined output and error.
func (w *workspace) try(args ...string) (string, error) {
	cmd := exec.Command(terraformPath(), append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	if args[0] == "state" || args[0] == "output" {
		cmd = exec.Command(terraformPath(), args...)
	}
	cmd.Dir = w.dir
	cmd.Env = w.env
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.String(), err
}
