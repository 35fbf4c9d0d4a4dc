package e2e

import (
	"encoding/json"
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
// import changes nothing, and the next plan is empty.
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
	if strings.Count(gen, "\nimport {") != 3 || !strings.Contains(gen, `external_id = "finance-powerbi"`) {
		t.Fatalf("generated.tf should import the integration and two data products by identity:\n%s", gen)
	}
	// Entropy Data never returns the service principal: the generated
	// configuration leaves it to the one stored, in plain sight.
	if !regexp.MustCompile(`\n  credentials +\= null\n`).MatchString(gen) {
		t.Fatalf("generated.tf should say credentials = null:\n%s", gen)
	}

	w.terraform("plan", "-input=false", "-out=import.plan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string         `json:"actions"`
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
		if rc.Change.Importing == nil || strings.Join(rc.Change.Actions, ",") != "no-op" {
			t.Errorf("%s: importing = %t, actions = %v; want an import with no changes", rc.Address, rc.Change.Importing != nil, rc.Change.Actions)
		}
	}
	w.terraform("apply", "-input=false", "import.plan")
	if out, err := w.try("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("after applying the generated configuration, the plan is not empty (%v):\n%s", err, out)
	}
}
