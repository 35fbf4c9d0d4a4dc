package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Neither the client secret nor the API key may appear in the state file,
// in `terraform show -json` of a plan or the state, or in TRACE logs,
// through apply, plan, a secret rotation and an import.
func TestSecretsNeverLeak(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	const apiKey = "ed-live-e2e-api-key-4f1c9a7e3b"
	const rotated = "sbx8Q~Rotated-E2E-Secret-Value-000007"
	sb, err := sandbox.Start(sandbox.Options{APIKey: apiKey, ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	w := newWorkspace(t, sb, "TF_LOG=TRACE", "TF_LOG_PATH=terraform.log")

	config := func(secretVersion int) string {
		return fmt.Sprintf(`
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
resource "entropydata_powerbi_integration" "finance" {
  external_id = "secrets-e2e"
  name        = "Secrets"
  credentials = {
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = var.secret
    client_secret_wo_version = %d
  }
  filters      = { workspaces = { include = ["Marketing"] } }
  schedule     = { preset = "daily" }
  run_on_apply = true
}
`, tenant.DemoTenantID, tenant.DemoClientID, secretVersion)
	}
	// Secrets come from the environment, as in CI; a -var flag would put
	// them in Terraform's own log of its command line.
	w.setEnv("TF_VAR_secret", tenant.DemoClientSecret)

	w.write("main.tf", config(1))
	var outputs []string
	outputs = append(outputs, w.terraform("apply", "-auto-approve", "-input=false"))

	// Rotate: the new secret reaches the sandbox, and still not the state.
	if err := sb.Tenant.RotateSecret(tenant.DemoClientID, rotated); err != nil {
		t.Fatal(err)
	}
	w.write("main.tf", config(2))
	w.setEnv("TF_VAR_secret", rotated)
	outputs = append(outputs, w.terraform("plan", "-input=false", "-out=plan.bin"))
	outputs = append(outputs, w.terraform("show", "-json", "plan.bin"))
	outputs = append(outputs, w.terraform("apply", "-auto-approve", "-input=false", "plan.bin"))
	if rec, _ := sb.API.Integration("secrets-e2e"); rec.Credential == nil || rec.Credential.Details["clientSecret"] != rotated {
		t.Fatal("the rotated secret did not reach Entropy Data")
	}
	outputs = append(outputs, w.terraform("show", "-json"))

	// Import from scratch.
	outputs = append(outputs, w.terraform("state", "rm", "entropydata_powerbi_integration.finance"))
	outputs = append(outputs, w.terraform("import", "-input=false", "entropydata_powerbi_integration.finance", "secrets-e2e"))
	outputs = append(outputs, w.terraform("apply", "-auto-approve", "-input=false"))
	outputs = append(outputs, w.terraform("show", "-json"))

	state := w.read("terraform.tfstate")
	logs := w.read("terraform.log")
	if !strings.Contains(logs, "entropydata") || !strings.Contains(logs, "/api/integrations") {
		t.Fatal("the TRACE log does not contain the provider's API calls; the test would prove nothing")
	}
	if !strings.Contains(state, "secrets-e2e") {
		t.Fatal("the state does not hold the integration; the test would prove nothing")
	}
	for _, secret := range []string{tenant.DemoClientSecret, rotated, apiKey} {
		for what, text := range map[string]string{
			"state file": state, "TRACE log": logs, "terraform output": strings.Join(outputs, "\n"),
		} {
			if strings.Contains(text, secret) {
				t.Errorf("a secret (%.6s…) appears in the %s", secret, what)
				if os.Getenv("E2E_DEBUG") != "" {
					for _, line := range strings.Split(text, "\n") {
						if strings.Contains(line, secret) {
							t.Log(line[:min(len(line), 400)])
						}
					}
				}
			}
		}
	}
}
