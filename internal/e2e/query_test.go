package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

const queryConfig = `
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}
`

// quickstart returns examples/quickstart/main.tf.
func quickstart(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "examples", "quickstart", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An existing setup (the quickstart, applied elsewhere) is found with
// `terraform query`, written out with -generate-config-out, and applied: the
// import needs nothing but the secret, and the next plan is empty.
func TestQueryGeneratesImportableConfig(t *testing.T) {
	requireTerraform(t, "1.14.0", "list resources and terraform query")
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })

	existing := newWorkspace(t, sb)
	existing.write("main.tf", quickstart(t))
	existing.terraform("apply", "-auto-approve", "-input=false")

	w := newWorkspace(t, sb)
	w.write("main.tf", queryConfig)
	// The importing guide's query file.
	find, err := os.ReadFile(filepath.Join(repoRoot(), "examples", "guides", "importing", "find.tfquery.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	w.write("find.tfquery.hcl", string(find))
	out := w.terraform("query", "-generate-config-out=generated.tf")
	for _, want := range []string{
		"list.entropydata_powerbi_integration.finance", "external_id=finance-powerbi", "Finance Power BI",
		"list.entropydata_powerbi_data_product.finance", "id=revenue-model", "id=revenue-overview",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform query output lacks %q:\n%s", want, out)
		}
	}
	gen := w.read("generated.tf")

	// The credential is spelled out for the user to fill in: Entropy Data
	// never returns it.
	credBlock := regexp.MustCompile(`(?s)\n  credentials = \{\n.*?\n  \}\n`)
	block := credBlock.FindString(gen)
	for _, want := range []string{"tenant_id", "client_id", "client_secret_wo ", "client_secret_wo_version", "= null"} {
		if !strings.Contains(block, want) {
			t.Fatalf("the generated credentials block does not show %q to fill in:\n%s", want, gen)
		}
	}
	if strings.Count(gen, "\nimport {") != 3 || !strings.Contains(gen, `external_id = "finance-powerbi"`) {
		t.Fatalf("generated.tf should import the integration and two data products by identity:\n%s", gen)
	}
	if out, err := w.try("plan", "-input=false"); err == nil || !strings.Contains(out, "credentials") {
		t.Fatalf("a plan of the generated configuration without credentials should fail on credentials:\n%s", out)
	}

	// Fill them in as the guide says, with the secret write-only.
	w.write("generated.tf", credBlock.ReplaceAllString(gen, `
  credentials = {
    tenant_id                = var.powerbi_tenant_id
    client_id                = var.powerbi_client_id
    client_secret_wo         = var.powerbi_client_secret
    client_secret_wo_version = 1
  }
`))
	w.write("variables.tf", `
variable "powerbi_tenant_id" { type = string }
variable "powerbi_client_id" { type = string }
variable "powerbi_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
`)
	w.terraform("plan", "-input=false", "-out=import.plan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string         `json:"actions"`
				Before    map[string]any   `json:"before"`
				After     map[string]any   `json:"after"`
				Importing *json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.terraform("show", "-json", "import.plan")), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.ResourceChanges) != 3 {
		t.Fatalf("the plan has %d resource changes, want the 3 imports", len(plan.ResourceChanges))
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Importing == nil {
			t.Errorf("%s is not imported", rc.Address)
		}
		actions := strings.Join(rc.Change.Actions, ",")
		if strings.HasPrefix(rc.Address, "entropydata_powerbi_data_product.") {
			if actions != "no-op" {
				t.Errorf("%s: the imported data product plans %s, want no changes", rc.Address, actions)
			}
			continue
		}
		// The integration changes only in what import cannot know: the
		// credential (and the read-only filter_preview, which needs it).
		if actions != "update" {
			t.Errorf("%s plans %s, want an update of credentials", rc.Address, actions)
		}
		for k, before := range rc.Change.Before {
			if k != "credentials" && k != "filter_preview" && fmt.Sprint(before) != fmt.Sprint(rc.Change.After[k]) {
				t.Errorf("%s: %s changes from %v to %v on import; only credentials should", rc.Address, k, before, rc.Change.After[k])
			}
		}
	}
	w.terraform("apply", "-input=false", "import.plan")
	if out, err := w.try("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("after applying the generated configuration, the plan is not empty (%v):\n%s", err, out)
	}
}
