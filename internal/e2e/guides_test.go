package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/integration"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// guideWorkspace is a workspace holding the files of examples/guides/<name>.
func guideWorkspace(t *testing.T, sb *sandbox.Sandbox, name string, pattern string) *workspace {
	t.Helper()
	w := newWorkspace(t, sb)
	files, err := filepath.Glob(filepath.Join(repoRoot(), "examples", "guides", name, pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s in examples/guides/%s (%v)", pattern, name, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w.write(filepath.Base(f), string(b))
	}
	return w
}

func startSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// applyConverges applies and then insists on an empty plan.
func (w *workspace) applyConverges() string {
	w.t.Helper()
	out := w.terraform("apply", "-auto-approve", "-input=false")
	if plan, err := w.try("plan", "-input=false", "-detailed-exitcode"); err != nil {
		w.t.Fatalf("the plan after apply is not empty (%v):\n%s", err, plan)
	}
	return out
}

func (w *workspace) outputJSON(name string, v any) {
	w.t.Helper()
	if err := json.Unmarshal([]byte(w.terraform("output", "-json", name)), v); err != nil {
		w.t.Fatal(err)
	}
}

// The guides in docs/guides show only HCL from files under examples/ that a
// test applies: examples/guides/<guide>/ (the tests below) and the filter
// preview data source's examples (TestGuide_previewingFilters).
func TestGuideHCLComesFromTestedExamples(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join(repoRoot(), "docs", "guides", "*.md"))
	if err != nil || len(docs) < 7 {
		t.Fatalf("want the seven guides in docs/guides, found %d (%v)", len(docs), err)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	var examples []string
	for _, dir := range []string{"guides", filepath.Join("data-sources", "entropydata_powerbi_filter_preview")} {
		_ = filepath.WalkDir(filepath.Join(repoRoot(), "examples", dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				examples = append(examples, flat(string(b)))
			}
			return nil
		})
	}
	block := regexp.MustCompile("(?s)```(terraform|hcl|tf)\n(.*?)```")
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range block.FindAllStringSubmatch(string(b), -1) {
			code := flat(m[2])
			found := false
			for _, e := range examples {
				if strings.Contains(e, code) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s shows HCL that is not in a tested example file:\n%s", filepath.Base(doc), m[2])
			}
		}
	}
}

// The filter examples select what the guide says they select, and its check
// block and terraform test file pass.
func TestGuide_previewingFilters(t *testing.T) {
	sb := startSandbox(t)
	w := guideWorkspace(t, sb, "previewing-filters", "*.tf")
	for _, f := range []string{"data-source.tf", "check.tf"} {
		b, err := os.ReadFile(filepath.Join(repoRoot(), "examples", "data-sources", "entropydata_powerbi_filter_preview", f))
		if err != nil {
			t.Fatal(err)
		}
		w.write(f, string(b))
	}
	if err := os.MkdirAll(filepath.Join(w.dir, "tests"), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(repoRoot(), "examples", "guides", "previewing-filters", "tests", "filters.tftest.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	w.write(filepath.Join("tests", "filters.tftest.hcl"), string(b))
	w.setEnv("FINANCE_POWERBI_SECRET", tenant.DemoClientSecret)

	// A data source in a check block is read in every plan, so the plan is never empty here.
	out := w.terraform("apply", "-auto-approve", "-input=false")
	if strings.Contains(out, "Warning: Check block assertion failed") {
		t.Errorf("the check block's assertions failed:\n%s", out)
	}
	var got map[string]map[string][]string
	w.outputJSON("selections", &got)
	// As the guide shows them.
	want := map[string]map[string][]string{
		"exact_names": {
			"workspaces":      {"Finance", "Marketing"},
			"semantic_models": {"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)", "Marketing/Campaign Performance"},
			"reports": {"Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview",
				"Finance/Revenue Overview (old)", "Marketing/Campaign Performance", "Marketing/Campaign ROI"},
		},
		"wildcards": {
			"workspaces":      {"Finance", "Finance Sandbox"},
			"semantic_models": {"Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments"},
			"reports":         {"Finance/Finance KPIs", "Finance Sandbox/Revenue What-If"},
		},
		"guids": {
			"workspaces":      {"Sales Analytics", "Supply Chain"},
			"semantic_models": {"Sales Analytics/Customer 360"},
		},
		"exclude_wins": {
			"workspaces":      {"Finance"},
			"semantic_models": {"Finance/Finance KPIs", "Finance/Revenue"},
			"reports":         {"Finance/Revenue Overview"},
		},
	}
	for name, sel := range want {
		for kind, names := range sel {
			if strings.Join(got[name][kind], "|") != strings.Join(names, "|") {
				t.Errorf("%s selects %s %v; the guide says %v", name, kind, got[name][kind], names)
			}
		}
	}
	if below(t, "1.6.0") {
		return // terraform test came with 1.6
	}
	if out, err := w.try("test"); err != nil {
		t.Errorf("terraform test of the guide's test file: %v\n%s", err, out)
	}
}

func TestGuide_gettingStarted(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	sb := startSandbox(t)
	w := guideWorkspace(t, sb, "getting-started", "*.tf")
	w.applyConverges()
	var tables []string
	w.outputJSON("revenue_tables", &tables)
	if strings.Join(tables, ",") != "Calendar,Customers,Sales" {
		t.Errorf("revenue_tables = %v", tables)
	}
}

func TestGuide_authentication(t *testing.T) {
	sb := startSandbox(t)
	w := guideWorkspace(t, sb, "authentication", "*.tf")
	// From the environment (the variable is null).
	w.applyConverges()
	// From the variable, with no key in the environment.
	w.setEnv("ENTROPY_DATA_API_KEY", "")
	w.setEnv("TF_VAR_entropy_data_api_key", sb.APIKey)
	w.applyConverges()
	// A wrong key fails the plan with the server's answer.
	w.setEnv("TF_VAR_entropy_data_api_key", "not-a-key")
	out, err := w.try("plan", "-input=false")
	if err == nil || !strings.Contains(out, "403") {
		t.Errorf("a plan with a wrong API key: err = %v, want a 403 error:\n%s", err, out)
	}
}

func TestGuide_troubleshooting(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	sb := startSandbox(t)
	w := guideWorkspace(t, sb, "troubleshooting", "*.tf")
	w.applyConverges()

	// A failing import makes the check warn, with the run's own message.
	if err := sb.Tenant.RotateSecret(tenant.DemoClientID, "someone-rotated-it"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := integration.TriggerAndWatch(ctx, apiClient(t, sb), "finance-powerbi", true, nil); err == nil {
		t.Fatal("a run with a rotated-away secret succeeded")
	}
	out := w.terraform("plan", "-input=false")
	if !strings.Contains(out, "The latest Power BI import failed") || !strings.Contains(out, "AADSTS7000215") {
		t.Errorf("the plan does not warn about the failed import with its AADSTS code:\n%s", out)
	}
}

func TestGuide_manySemanticModels(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	sb := startSandbox(t)
	w := guideWorkspace(t, sb, "many-semantic-models", "*.tf")
	w.applyConverges()
	var rest []string
	w.outputJSON("not_yet_governed", &rest)
	if strings.Join(rest, ",") != "Sales Analytics/Sales Pipeline" {
		t.Errorf("not_yet_governed = %v, want the one model without a data product", rest)
	}
	for _, id := range []string{"pbi-revenue", "pbi-finance-kpis", "pbi-customer-360"} {
		if _, err := apiClient(t, sb).GetDataProduct(context.Background(), id); err != nil {
			t.Errorf("data product %s: %v", id, err)
		}
	}
}

func TestGuide_rotatingClientSecret(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	const next = "sbx8Q~next-secret-for-the-rotation-guide"
	sb := startSandbox(t)
	w := guideWorkspace(t, sb, "rotating-client-secret", "*.tf")
	w.applyConverges()

	// 1. A second secret in Entra ID: both work, nothing is down.
	if err := sb.Tenant.AddSecret(tenant.DemoClientID, next); err != nil {
		t.Fatal(err)
	}
	// 2. The new value and a new version: the provider checks it, sends it, and runs the import.
	w.setEnv("TF_VAR_powerbi_client_secret", next)
	w.setEnv("TF_VAR_powerbi_client_secret_version", "2")
	w.applyConverges()
	if rec, _ := sb.API.Integration("finance-powerbi"); rec.Credential == nil || rec.Credential.Details["clientSecret"] != next {
		t.Fatal("the new secret did not reach Entropy Data")
	}
	// 3. Delete the old secret in Entra ID: the imports go on.
	if err := sb.Tenant.RotateSecret(tenant.DemoClientID, next); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if run, err := integration.TriggerAndWatch(ctx, apiClient(t, sb), "finance-powerbi", true, nil); err != nil {
		t.Fatalf("an import after deleting the old secret: %v (run %+v)", err, run)
	}
}

func TestGuide_importing(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	sb := startSandbox(t)
	existing := newWorkspace(t, sb)
	existing.write("main.tf", quickstart(t))
	existing.terraform("apply", "-auto-approve", "-input=false")

	w := guideWorkspace(t, sb, "importing", "*.tf")
	w.terraform("plan", "-input=false", "-out=import.plan")
	changes := planChanges(t, w, "import.plan")
	if len(changes) != 3 {
		t.Fatalf("the plan has %d changes, want 3 imports: %v", len(changes), changes)
	}
	for addr, c := range changes {
		want := "no-op"
		if addr == "entropydata_powerbi_integration.finance" {
			want = "update" // the credential, which import cannot read
		}
		if !c.importing || c.actions != want {
			t.Errorf("%s: importing = %t, actions = %s; want an import with %s", addr, c.importing, c.actions, want)
		}
	}
	w.terraform("apply", "-input=false", "import.plan")
	if out, err := w.try("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the import is not empty (%v):\n%s", err, out)
	}
}

type planChange struct {
	actions   string
	importing bool
}

func planChanges(t *testing.T, w *workspace, planFile string) map[string]planChange {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string         `json:"actions"`
				Importing *json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.terraform("show", "-json", planFile)), &plan); err != nil {
		t.Fatal(err)
	}
	out := map[string]planChange{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Importing == nil && strings.Join(rc.Change.Actions, ",") == "no-op" {
			continue
		}
		out[rc.Address] = planChange{strings.Join(rc.Change.Actions, ","), rc.Change.Importing != nil}
	}
	return out
}

func apiClient(t *testing.T, sb *sandbox.Sandbox) *entropydata.Client {
	t.Helper()
	c, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: sb.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The README's row for Terraform before 1.11: client_secret works, and
// client_secret_wo is refused before anything reaches Entropy Data.
func TestOlderTerraformUsesClientSecret(t *testing.T) {
	if !below(t, "1.11.0") {
		t.Skip("Terraform 1.11 and later have write-only arguments; CI runs this test with Terraform 1.5")
	}
	sb := startSandbox(t)
	w := newWorkspace(t, sb)
	config := func(secret string) string {
		return fmt.Sprintf(`
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}
resource "entropydata_powerbi_integration" "finance" {
  external_id = "older-terraform"
  name        = "Older Terraform"
  credentials = {
    tenant_id = %q
    client_id = %q
    %s
  }
  filters  = { workspaces = { include = ["Finance"] } }
  schedule = { preset = "daily" }
}
`, tenant.DemoTenantID, tenant.DemoClientID, secret)
	}
	w.write("main.tf", config(fmt.Sprintf("client_secret_wo = %q\n    client_secret_wo_version = 1", tenant.DemoClientSecret)))
	out, err := w.try("apply", "-auto-approve", "-input=false")
	if err == nil || !strings.Contains(strings.ToLower(out), "write-only") {
		t.Fatalf("client_secret_wo on Terraform before 1.11: err = %v, want an error about write-only attributes:\n%s", err, out)
	}
	if _, ok := sb.API.Integration("older-terraform"); ok {
		t.Fatal("the refused configuration still created the integration")
	}
	w.write("main.tf", config(fmt.Sprintf("client_secret = %q", tenant.DemoClientSecret)))
	w.applyConverges()
}
