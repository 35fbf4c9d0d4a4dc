package filterpreview_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

const dataSourceName = "data.entropydata_powerbi_filter_preview.test"

// testSecretEnv holds the demo secret for the tests that name it.
const testSecretEnv = "ENTROPY_DATA_TEST_PREVIEW_SECRET"

func TestMain(m *testing.M) {
	// The data source reads the secret from the environment of the process
	// running the provider, which here is the test itself.
	_ = os.Setenv(filterpreview.DefaultSecretEnv, acctest.ClientSecret)
	_ = os.Setenv(testSecretEnv, acctest.ClientSecret)
	os.Exit(m.Run())
}

func dataSourceHCL(sb *sandbox.Sandbox, body string) string {
	return acctest.ProviderConfig(sb) + fmt.Sprintf(`
data "entropydata_powerbi_filter_preview" "test" {
  tenant_id = %q
  client_id = %q
  %s
}
`, acctest.TenantID, acctest.ClientID, body)
}

func names(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(values))
	for _, v := range values {
		checks = append(checks, knownvalue.StringExact(v))
	}
	return knownvalue.ListExact(checks)
}

func expect(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New(attr), check)
}

func TestAccFilterPreviewDataSource(t *testing.T) {
	sb := acctest.Sandbox(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				// The same selection an integration with these filters imports, asserted in a
				// check block and exposed as outputs.
				Config: dataSourceHCL(sb, `
  filters = {
    workspaces      = { include = ["Finance*"], exclude = ["*Sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { include = ["*"], exclude = ["*(old)"] }
  }`) + `
check "finance_selection" {
  assert {
    condition     = data.entropydata_powerbi_filter_preview.test.workspaces == tolist(["Finance"])
    error_message = "The filters select ${join(", ", data.entropydata_powerbi_filter_preview.test.workspaces)}."
  }
  assert {
    condition     = contains(data.entropydata_powerbi_filter_preview.test.semantic_models, "Finance/Revenue")
    error_message = "The Revenue model is not selected."
  }
}

check "the_sandbox_is_left_out" {
  assert {
    condition     = contains(data.entropydata_powerbi_filter_preview.test.unselected_workspaces, "Finance Sandbox")
    error_message = "The sandbox workspace is selected."
  }
}

output "models" {
  value = data.entropydata_powerbi_filter_preview.test.semantic_models
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{checksPass{2}}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect("workspaces", names("Finance")),
					expect("workspace_count", knownvalue.Int64Exact(1)),
					expect("semantic_models", names("Finance/Finance KPIs", "Finance/Revenue")),
					expect("semantic_model_count", knownvalue.Int64Exact(2)),
					expect("reports", names("Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview")),
					expect("report_count", knownvalue.Int64Exact(3)),
					expect("unselected_workspaces", names("Finance Sandbox", "Marketing", "Sales Analytics", "Supply Chain")),
					expect("truncated", knownvalue.Bool(false)),
					expect("client_secret_env", knownvalue.Null()),
					statecheck.ExpectKnownOutputValue("models", names("Finance/Finance KPIs", "Finance/Revenue")),
					noSecretInState{},
				},
			},
			{
				// GUIDs, another secret variable, and a limit on the lists.
				Config: dataSourceHCL(sb, fmt.Sprintf(`
  client_secret_env = %q
  limit             = 2
  filters = {
    workspaces = { include = [%q, %q] }
    reports    = { include = [%q, "*"] }
  }`, testSecretEnv, tenant.DemoWorkspaceSalesAnalytics, tenant.DemoWorkspaceMarketing, tenant.DemoReportCampaignROI)),
				ConfigStateChecks: []statecheck.StateCheck{
					expect("workspaces", names("Marketing", "Sales Analytics")),
					expect("semantic_models", names("Marketing/Campaign Performance", "Sales Analytics/Customer 360")),
					expect("semantic_model_count", knownvalue.Int64Exact(3)),
					expect("reports", names("Marketing/Campaign Performance", "Marketing/Campaign ROI")),
					expect("report_count", knownvalue.Int64Exact(5)),
					expect("unselected_workspaces", names("Finance", "Finance Sandbox")),
					expect("truncated", knownvalue.Bool(true)),
					noSecretInState{},
				},
			},
		},
	})
}

// checksPass fails unless the plan has exactly n check blocks, all passed.
type checksPass struct{ n int }

func (c checksPass) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var passed int
	for _, check := range req.Plan.Checks {
		if check.Address.Kind != "check" {
			continue
		}
		if check.Status != "pass" {
			resp.Error = fmt.Errorf("check %s: %s %+v", check.Address.ToDisplay, check.Status, check.Instances)
			return
		}
		passed++
	}
	if passed != c.n {
		resp.Error = fmt.Errorf("%d check blocks passed, want %d", passed, c.n)
	}
}

// noSecretInState fails when the demo secret appears anywhere in the state.
type noSecretInState struct{}

func (noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(b), acctest.ClientSecret) {
		resp.Error = fmt.Errorf("the client secret is in the state")
	}
}

func TestAccFilterPreviewDataSource_errors(t *testing.T) {
	sb := acctest.Sandbox(t)
	cases := []struct {
		name, body, want string
	}{
		{"secret variable not set", `client_secret_env = "ENTROPY_DATA_TEST_UNSET_SECRET"`,
			`(?s)Client secret not set.*ENTROPY_DATA_TEST_UNSET_SECRET`},
		{"a secret instead of a variable name", `client_secret_env = "sbx8Q~not.a.name"`, `Invalid environment variable name`},
		{"bad pattern", `filters = { workspaces = { include = [" Finance"] } }`, `(?s)Invalid filter pattern.*starts with whitespace`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				Steps: []resource.TestStep{{
					Config:      dataSourceHCL(sb, tc.body),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// When Power BI fails, the data source fails; declared inside a check
// block, as the guide recommends, the failure is a warning and the plan
// goes on.
func TestAccFilterPreviewDataSource_powerBIDown(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{Faults: "GET /v1.0/myorg/groups 503 surface=powerbi"})
	preview := fmt.Sprintf(`
  data "entropydata_powerbi_filter_preview" "test" {
    tenant_id = %q
    client_id = %q
    filters   = { workspaces = { include = ["Finance"] } }
  }`, acctest.TenantID, acctest.ClientID)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config:      acctest.ProviderConfig(sb) + preview,
				ExpectError: regexp.MustCompile(`(?s)Could not preview the Power BI filters.*HTTP 503`),
			},
			{
				Config: acctest.ProviderConfig(sb) + `
check "finance_selected" {` + preview + `
  assert {
    condition     = data.entropydata_powerbi_filter_preview.test.workspace_count == 1
    error_message = "Finance is not selected."
  }
}
`,
				// A scoped data source is read at every plan, so the plan is never empty;
				// that it succeeds is the point.
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
