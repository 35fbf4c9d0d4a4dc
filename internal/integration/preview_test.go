package integration_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/faults"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var filterPreview = tfjsonpath.New("filter_preview")

// previewHCL is an integration with these filters and extra lines.
func previewHCL(sb *sandbox.Sandbox, id, filters, extra string) string {
	return integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name     = %q
  filters  = %s
  schedule = { preset = "manual" }
  %s`, "Preview "+id, filters, extra))
}

func names(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(values))
	for _, v := range values {
		checks = append(checks, knownvalue.StringExact(v))
	}
	return knownvalue.ListExact(checks)
}

// preview is the exact filter_preview for these selections (none truncated).
type preview struct {
	workspaces, models, reports, unselected []string
}

func (p preview) check() knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"workspaces":            names(p.workspaces...),
		"workspace_count":       knownvalue.Int64Exact(int64(len(p.workspaces))),
		"semantic_models":       names(p.models...),
		"semantic_model_count":  knownvalue.Int64Exact(int64(len(p.models))),
		"reports":               names(p.reports...),
		"report_count":          knownvalue.Int64Exact(int64(len(p.reports))),
		"unselected_workspaces": names(p.unselected...),
		"truncated":             knownvalue.Bool(false),
	})
}

// The plan shows exactly what the filters select in the demo tenant, read
// live from the emulated Power BI as the demo service principal.
func TestAccIntegration_preview(t *testing.T) {
	sb := acctest.Sandbox(t)
	cases := []struct {
		name, filters string
		want          preview
	}{
		{
			name:    "exact names",
			filters: `{ workspaces = { include = ["Finance", "Marketing"] } }`,
			want: preview{
				workspaces: []string{"Finance", "Marketing"},
				models:     []string{"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)", "Marketing/Campaign Performance"},
				reports: []string{"Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview",
					"Finance/Revenue Overview (old)", "Marketing/Campaign Performance", "Marketing/Campaign ROI"},
				unselected: []string{"Finance Sandbox", "Sales Analytics", "Supply Chain"},
			},
		},
		{
			name: "wildcards, case-insensitive",
			filters: `{
    workspaces      = { include = ["finance*"] }
    semantic_models = { include = ["rev*"] }
    reports         = { include = ["*kpis", "*what-if"] }
  }`,
			want: preview{
				workspaces: []string{"Finance", "Finance Sandbox"},
				models:     []string{"Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments"},
				reports:    []string{"Finance/Finance KPIs", "Finance Sandbox/Revenue What-If"},
				unselected: []string{"Marketing", "Sales Analytics", "Supply Chain"},
			},
		},
		{
			name: "GUIDs",
			filters: fmt.Sprintf(`{
    workspaces      = { include = [%q, %q] }
    semantic_models = { include = [%q] }
    reports         = { include = [%q, %q] }
  }`, tenant.DemoWorkspaceSalesAnalytics, tenant.DemoWorkspaceSupplyChain, tenant.DemoDatasetCustomer360,
				tenant.DemoReportRevenueByRegion, strings.ToUpper(tenant.DemoReportInventoryHealth)),
			want: preview{
				workspaces: []string{"Sales Analytics", "Supply Chain"},
				models:     []string{"Sales Analytics/Customer 360"},
				reports:    []string{"Sales Analytics/Revenue by Region", "Supply Chain/Inventory Health"},
				unselected: []string{"Finance", "Finance Sandbox", "Marketing"},
			},
		},
		{
			name: "exclude wins",
			filters: `{
    workspaces      = { include = ["Finance*"], exclude = ["*Sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { include = ["Revenue Overview", "Revenue Overview (old)"], exclude = ["*(old)"] }
  }`,
			want: preview{
				workspaces: []string{"Finance"},
				models:     []string{"Finance/Finance KPIs", "Finance/Revenue"},
				reports:    []string{"Finance/Revenue Overview"},
				unselected: []string{"Finance Sandbox", "Marketing", "Sales Analytics", "Supply Chain"},
			},
		},
		{
			name:    "no filters: everything the principal can see, never HR Confidential",
			filters: `{}`,
			want: preview{
				workspaces: []string{"Finance", "Finance Sandbox", "Marketing", "Sales Analytics", "Supply Chain"},
				models: []string{"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments",
					"Marketing/Campaign Performance", "Sales Analytics/Customer 360", "Sales Analytics/Sales Pipeline", "Supply Chain/Inventory"},
				reports: []string{"Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview", "Finance/Revenue Overview (old)",
					"Finance Sandbox/Revenue What-If", "Marketing/Campaign Performance", "Marketing/Campaign ROI",
					"Sales Analytics/Customer 360", "Sales Analytics/Pipeline Dashboard", "Sales Analytics/Revenue by Region",
					"Supply Chain/Inventory Health"},
				unselected: []string{},
			},
		},
		{
			name:    "a workspace the principal cannot see selects nothing (and the plan still succeeds)",
			filters: `{ workspaces = { include = ["HR Confidential"] } }`,
			want:    preview{unselected: []string{"Finance", "Finance Sandbox", "Marketing", "Sales Analytics", "Supply Chain"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps: []resource.TestStep{{
					Config:             previewHCL(sb, acctest.Unique("preview"), tc.filters, ""),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						// In a plan-only step these checks see the plan.
						PostApplyPreRefresh: []plancheck.PlanCheck{
							plancheck.ExpectKnownValue(resourceName, filterPreview, tc.want.check()),
							plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("preview"), knownvalue.Bool(true)),
						},
					},
				}},
			})
		})
	}
}

// Apply keeps the planned preview; the preview is read again only when the
// filters or the credentials change, so neither Power BI content changing
// nor other edits make it churn.
func TestAccIntegration_previewLifecycle(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	id := acctest.Unique("lifecycle")
	finance := `{ workspaces = { include = ["Finance"] }, reports = { exclude = ["*(old)"] } }`
	before := preview{
		workspaces: []string{"Finance"},
		models:     []string{"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)"},
		reports:    []string{"Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview"},
		unselected: []string{"Finance Sandbox", "Marketing", "Sales Analytics", "Supply Chain"},
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: previewHCL(sb, id, finance, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectKnownValue(resourceName, filterPreview, before.check())},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(resourceName, filterPreview, before.check())},
			},
			{
				// New content in Power BI does not make a plan by itself.
				PreConfig: func() {
					if err := sb.Tenant.AddReport(tenant.DemoWorkspaceFinance, tenant.Report{
						ID: "0d7c56a8-3b0e-4c53-9a41-1f7bd4b1c001", Name: "Cash Flow", ReportType: tenant.ReportTypePowerBI,
						DatasetID: tenant.DemoDatasetRevenue,
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: previewHCL(sb, id, finance, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Other changes keep the preview as it was.
				Config: previewHCL(sb, id, finance, `description = "Finance reports"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(resourceName, filterPreview, before.check()),
					},
				},
			},
			{
				// A filter change reads it again, with the new report.
				Config: previewHCL(sb, id, `{ workspaces = { include = ["Finance"] }, reports = { exclude = ["*(old)", "Monthly*"] } }`,
					`description = "Finance reports"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(resourceName, filterPreview, preview{
						workspaces: before.workspaces, models: before.models, unselected: before.unselected,
						reports: []string{"Finance/Cash Flow", "Finance/Finance KPIs", "Finance/Revenue Overview"},
					}.check())},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: previewHCL(sb, id, finance, `preview = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(resourceName, filterPreview, knownvalue.Null())},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, filterPreview, knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("preview"), knownvalue.Bool(false)),
				},
			},
			{
				// Off by default when credentials are not checked either.
				Config: previewHCL(sb, id, finance, `validate_credentials = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("preview"), knownvalue.Bool(false)),
						plancheck.ExpectKnownValue(resourceName, filterPreview, knownvalue.Null()),
					},
				},
			},
			{
				// Back on: read again.
				Config: previewHCL(sb, id, finance, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(resourceName, filterPreview, preview{
						workspaces: before.workspaces, models: before.models, unselected: before.unselected,
						reports: []string{"Finance/Cash Flow", "Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview"},
					}.check())},
				},
			},
		},
	})
}

// Credentials that are only known at apply give an unknown preview in the
// plan, read when applying.
func TestAccIntegration_previewUnknownCredentials(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("later")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(sb) + fmt.Sprintf(`
resource "terraform_data" "secret" {
  input = %q
}

resource "entropydata_powerbi_integration" "test" {
  external_id = %q
  name        = "Later %s"
  credentials = {
    tenant_id     = %q
    client_id     = %q
    client_secret = terraform_data.secret.output
  }
  filters  = { workspaces = { include = ["Marketing"] } }
  schedule = { preset = "manual" }
}
`, acctest.ClientSecret, id, id, acctest.TenantID, acctest.ClientID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectUnknownValue(resourceName, filterPreview)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(resourceName, filterPreview, preview{
				workspaces: []string{"Marketing"},
				models:     []string{"Marketing/Campaign Performance"},
				reports:    []string{"Marketing/Campaign Performance", "Marketing/Campaign ROI"},
				unselected: []string{"Finance", "Finance Sandbox", "Sales Analytics", "Supply Chain"},
			}.check())},
		}},
	})
}

// Each warning reaches the user through Terraform, with the attribute it is
// about named in the text.
func TestAccIntegration_planWarnings(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	sb := acctest.Sandbox(t)
	w := newTFDir(t, sb)
	diags := w.plan(integrationHCL(sb, acctest.Unique("warn"), demoCredentials, fmt.Sprintf(`
  name = "Warnings"
  filters = {
    workspaces      = { include = ["Finance*", "Fin*Ops", "HR Confidential", %q, "Finance Sandbox"], exclude = ["*Sandbox*"] }
    semantic_models = { include = ["Revenue", "Revenu"] }
  }
  schedule = { cron = "0 6 29 2 *" }
`, tenant.DemoWorkspaceHRConfidential)))

	const warning = "warning"
	expectDiagnostic(t, diags, warning, filterpreview.SummaryMatchesNothing,
		`filters.workspaces.include[1] ("Fin*Ops") matches none of the 5 workspaces the service principal can see`)
	expectDiagnostic(t, diags, warning, filterpreview.SummaryNotVisible,
		`filters.workspaces.include[2] names the workspace "HR Confidential" exactly`, "Power BI hides the workspaces")
	expectDiagnostic(t, diags, warning, filterpreview.SummaryNotVisible,
		`filters.workspaces.include[3] names the workspace "`+tenant.DemoWorkspaceHRConfidential+`" exactly`)
	expectDiagnostic(t, diags, warning, filterpreview.SummaryExcludeOverrides,
		`filters.workspaces.exclude[0] ("*Sandbox*") removes the workspace "Finance Sandbox", which filters.workspaces.include[4] names exactly`)
	expectDiagnostic(t, diags, warning, filterpreview.SummaryMatchesNothing,
		`filters.semantic_models.include[1] ("Revenu"): no semantic model has that name`)
	expectDiagnostic(t, diags, warning, "Schedule runs rarely", `The cron "0 6 29 2 *"`, "up to about 8 years")
	if n := len(diags); n != 6 {
		t.Errorf("want exactly the 6 warnings, got %d:\n%s", n, diagList(diags))
	}

	// A good configuration plans without a word.
	if diags := w.plan(previewHCL(sb, acctest.Unique("quiet"), `{ workspaces = { include = ["Finance"] } }`, "")); len(diags) != 0 {
		t.Errorf("unexpected diagnostics:\n%s", diagList(diags))
	}
}

// A preview that cannot be read never fails the plan: under Power BI
// errors, throttling or a wrong secret it is skipped with a warning, after
// a bounded number of calls, and the plan shows it as known after apply.
func TestAccIntegration_previewDegrades(t *testing.T) {
	acctest.PreCheck(t)
	sb := acctest.StartSandbox(t, sandbox.Options{})
	w := newTFDir(t, sb)
	hcl := previewHCL(sb, acctest.Unique("degrade"), `{ workspaces = { include = ["Finance"] } }`, "")
	cases := []struct {
		name  string
		rule  faults.Rule
		calls int // requests the rule sees in one plan
		want  string
	}{
		{"Power BI unavailable", faults.Rule{Surface: faults.SurfacePowerBI, PathPrefix: "/v1.0/myorg/groups", Status: 503},
			1 + filterpreview.MaxRetries, "HTTP 503"},
		{"Power BI throttling longer than the preview may wait",
			faults.Rule{Surface: faults.SurfacePowerBI, PathPrefix: "/v1.0/myorg/groups", Status: 429, RetryAfter: 10 * time.Minute},
			1, "HTTP 429"},
		{"throttled while reading a workspace", faults.Rule{Surface: faults.SurfacePowerBI, PathPrefix: "/v1.0/myorg/groups/*/reports", Status: 429, RetryAfter: time.Hour},
			1, "HTTP 429"},
		{"Entra ID unavailable", faults.Rule{Surface: faults.SurfaceEntra, Method: "POST", Status: 503}, 0, "HTTP 503"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := sb.Faults.Add(tc.rule)
			defer sb.Faults.Remove(id)
			start := time.Now()
			diags := w.plan(hcl)
			if took := time.Since(start); took > filterpreview.Timeout {
				t.Errorf("the plan took %s, longer than the preview's limit", took)
			}
			expectDiagnostic(t, diags, "warning", "Filter preview skipped", "read again when applying", tc.want)
			if errs := diagsWithSeverity(diags, "error"); len(errs) > 0 {
				t.Errorf("the plan failed:\n%s", diagList(errs))
			}
			for _, st := range sb.Faults.RuleStats() {
				if st.ID == id && tc.calls > 0 && st.Matched != tc.calls {
					t.Errorf("the preview made %d calls the rule matched, want %d", st.Matched, tc.calls)
				}
			}
		})
	}

	t.Run("wrong secret", func(t *testing.T) {
		diags := w.plan(integrationHCL(sb, acctest.Unique("wrong"), woCredentials("not-the-secret", 1), `
  name                 = "Wrong secret"
  preview              = true
  validate_credentials = false
  schedule             = { preset = "manual" }`))
		expectDiagnostic(t, diags, "warning", "Filter preview skipped", "AADSTS7000215")
		if errs := diagsWithSeverity(diags, "error"); len(errs) > 0 {
			t.Errorf("the plan failed:\n%s", diagList(errs))
		}
	})
}

func diagsWithSeverity(diags []planDiagnostic, severity string) []planDiagnostic {
	var out []planDiagnostic
	for _, d := range diags {
		if d.Severity == severity {
			out = append(out, d)
		}
	}
	return out
}

// The same, through the test framework: under injected faults the plan
// succeeds with the preview unknown; once Power BI answers, the apply
// succeeds and keeps the preview it planned.
func TestAccIntegration_previewDegradesThenRecovers(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	id := acctest.Unique("recover")
	hcl := previewHCL(sb, id, `{ workspaces = { include = ["Supply Chain"] } }`, "")
	supply := preview{
		workspaces: []string{"Supply Chain"}, models: []string{"Supply Chain/Inventory"},
		reports: []string{"Supply Chain/Inventory Health"}, unselected: []string{"Finance", "Finance Sandbox", "Marketing", "Sales Analytics"},
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if _, err := sb.Faults.AddSpec("GET /v1.0/myorg/groups 429 retry-after=1s p=0.5 seed=3 surface=powerbi; GET /v1.0/myorg/groups 503 surface=powerbi"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             hcl,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{plancheck.ExpectUnknownValue(resourceName, filterPreview)},
				},
			},
			{
				PreConfig: sb.Faults.Clear,
				Config:    hcl,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectKnownValue(resourceName, filterPreview, supply.check())},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(resourceName, filterPreview, supply.check())},
			},
		},
	})
}

// A filter change that would stop importing a semantic model that backs a
// data product fails the plan, naming the data product, unless
// allow_dropping_governed_assets is set.
func TestAccIntegration_governedAssetGuard(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	id := acctest.Unique("guard")
	cfg := func(filters, extra string) string {
		return previewHCL(sb, id, filters, "run_on_apply = true\n  "+extra)
	}
	finance := `{ workspaces = { include = ["Finance"] } }`
	dropRevenue := `{ workspaces = { include = ["Finance"] }, semantic_models = { exclude = ["Revenue (old)", "revenue"] } }`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: cfg(finance, "")},
			{
				PreConfig:   func() { putRevenueModelProduct(t, sb) },
				Config:      cfg(dropRevenue, ""),
				ExpectError: regexp.MustCompile(`(?s)Filter change would drop a governed Power BI asset.*"revenue-model".*"Revenue".*filters.semantic_models.exclude\[1\].*allow_dropping_governed_assets`),
			},
			{
				// Dropping only the old model is fine.
				Config: cfg(`{ workspaces = { include = ["Finance"] }, semantic_models = { exclude = ["*(old)"] } }`, ""),
			},
			{
				// So is leaving out the whole workspace, once allowed.
				Config:      cfg(`{ workspaces = { include = ["Marketing"] } }`, ""),
				ExpectError: regexp.MustCompile(`(?s)would drop a governed Power BI asset.*workspace.*no.*longer.*selected.*filters.workspaces.include`),
			},
			{
				Config: cfg(dropRevenue, "allow_dropping_governed_assets = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("latest_run").AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
				},
			},
		},
	})
}

// putRevenueModelProduct makes the Revenue model the asset of a data
// product, as the entropydata_powerbi_data_product resource would.
func putRevenueModelProduct(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	body := fmt.Sprintf(`{
  "dataProductSpecification": "0.0.1",
  "id": "revenue-model",
  "info": {"title": "Revenue Model", "owner": "finance", "archetype": %q},
  "assets": [{"assetId": %q}]
}`, entropydata.DataProductTypePowerBISemanticModel, entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue))
	if err := sb.API.PutDataProductJSON("revenue-model", []byte(body)); err != nil {
		t.Fatal(err)
	}
}

// With allow_dropping_governed_assets the guard still tells, as a warning.
func TestAccIntegration_governedAssetGuardWarns(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	sb := acctest.StartSandbox(t, sandbox.Options{})
	w := newTFDir(t, sb)
	id := acctest.Unique("guardwarn")
	if diags := diagsWithSeverity(w.apply(previewHCL(sb, id, `{ workspaces = { include = ["Finance"] } }`, "run_on_apply = true")), "error"); len(diags) > 0 {
		t.Fatalf("apply failed:\n%s", diagList(diags))
	}
	putRevenueModelProduct(t, sb)
	diags := w.plan(previewHCL(sb, id, `{ workspaces = { include = ["Finance"] }, semantic_models = { exclude = ["Revenue"] } }`,
		"run_on_apply = true\n  allow_dropping_governed_assets = true"))
	expectDiagnostic(t, diags, "warning", "Filter change drops a governed Power BI asset",
		`The data product "revenue-model" is built on the Power BI semantic model "Revenue" in workspace "Finance"`,
		`filters.semantic_models.exclude[0] ("Revenue") matches it`, "Allowed by allow_dropping_governed_assets")
	if errs := diagsWithSeverity(diags, "error"); len(errs) > 0 {
		t.Errorf("the plan failed:\n%s", diagList(errs))
	}
}
