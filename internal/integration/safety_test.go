package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/parallel"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var latestRunStatus = tfjsonpath.New("latest_run").AtMapKey("status")

// runCount counts the integration's runs through the runs API.
func runCount(t *testing.T, sb *sandbox.Sandbox, id string) int {
	t.Helper()
	runs, err := apiClient(t, sb).ListRuns(context.Background(), id, entropydata.ListRunsOptions{})
	if err != nil {
		t.Fatalf("list runs: %v", err)
	}
	return len(runs)
}

func expectRuns(t *testing.T, sb *sandbox.Sandbox, id string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := runCount(t, sb, id); got != want {
			return fmt.Errorf("the integration has %d runs, want %d", got, want)
		}
		return nil
	}
}

// run_on_apply runs on create and when what or how Power BI is imported
// changes; the provider-side settings, the name, the description and the
// schedule never start a run.
func TestAccIntegration_runsOnlyForImportChanges(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("runs-only")
	cfg := func(body string) string {
		return integrationHCL(sb, id, demoCredentials, `
  run_on_apply = true
  `+body)
	}
	base := `
  name     = "Runs only ` + id + `"
  filters  = { workspaces = { include = ["Marketing"] } }
  schedule = { preset = "manual" }
`
	noRun := []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
		plancheck.ExpectKnownValue(resourceName, latestRunStatus, knownvalue.StringExact("SUCCESS")),
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				// An empty description is kept as given (the server stores none).
				Config: cfg(base + `description = ""`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(resourceName, latestRunStatus, knownvalue.StringExact("SUCCESS")),
				},
				Check: expectRuns(t, sb, id, 1),
			},
			{
				Config:           cfg(base + `timeouts = { create = "30m", update = "30m", delete = "30m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: noRun},
				Check:            expectRuns(t, sb, id, 1),
			},
			{
				Config: cfg(`
  name                           = "Renamed ` + id + `"
  description                    = "Marketing reporting"
  filters                        = { workspaces = { include = ["Marketing"] } }
  schedule                       = { cron = "0 5 * * *" }
  enabled                        = false
  wait_for_run                   = false
  validate_credentials           = false
  preview                        = false
  delete_assets_on_destroy       = true
  allow_dropping_governed_assets = true
  timeouts                       = { create = "30m", update = "30m", delete = "30m" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: noRun},
				Check:            expectRuns(t, sb, id, 1),
			},
			{
				Config: cfg(`
  name     = "Runs only ` + id + `"
  filters  = { workspaces = { include = ["Marketing", "Sales*"] } }
  schedule = { preset = "manual" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("latest_run")),
				}},
				Check: expectRuns(t, sb, id, 2),
			},
			{
				Config: cfg(`
  name       = "Runs only ` + id + `"
  owner_team = "finance"
  filters    = { workspaces = { include = ["Marketing", "Sales*"] } }
  schedule   = { preset = "manual" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("latest_run")),
				}},
				Check: expectRuns(t, sb, id, 3),
			},
		},
	})
}

// A first run that fails while the integration is created is a warning: the
// integration stays in state untainted, the next plan shows the run again as
// an in-place update, and once the cause is fixed that apply recovers. A run
// that fails during an update fails the apply and is repeated the same way.
func TestAccIntegration_failedFirstRunIsRepeated(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	id := acctest.Unique("failing")
	hcl := func(workspaces string) string {
		return integrationHCL(sb, id, demoCredentials, `
  name                 = "Failing first run `+id+`"
  run_on_apply         = true
  validate_credentials = false
  filters              = { workspaces = { include = `+workspaces+` } }
  schedule             = { preset = "manual" }
`)
	}
	cfg := hcl(`["Finance"]`)
	rotate := func(secret string) func() {
		return func() {
			if err := sb.Tenant.RotateSecret(acctest.ClientID, secret); err != nil {
				t.Fatal(err)
			}
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				// The app's secret was rotated in Entra ID: the run cannot sign in.
				PreConfig: rotate("sbx8Q~Rotated.Elsewhere-000000000000001"),
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, latestRunStatus, knownvalue.StringExact("FAILED")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("latest_run").AtMapKey("message"),
						knownvalue.StringRegexp(regexp.MustCompile("AADSTS7000215"))),
				},
				Check:              expectRuns(t, sb, id, 1),
				ExpectNonEmptyPlan: true, // the run to repeat
			},
			{
				PreConfig: rotate(acctest.ClientSecret),
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("latest_run")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, latestRunStatus, knownvalue.StringExact("SUCCESS")),
				},
				Check: expectRuns(t, sb, id, 2),
			},
			{
				// A run that fails during an update fails the apply; the change is saved.
				PreConfig:   rotate("sbx8Q~Rotated.Elsewhere-000000000000002"),
				Config:      hcl(`["Finance", "Marketing"]`),
				ExpectError: regexp.MustCompile(`(?s)Ingestion run did not succeed.*AADSTS7000215.*next apply starts the run again`),
			},
			{
				// Once fixed, the next apply runs it again without any change.
				PreConfig: rotate(acctest.ClientSecret),
				Config:    hcl(`["Finance", "Marketing"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("latest_run")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectRuns(t, sb, id, 4),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if _, ok := sb.API.Integration(id); ok {
				return fmt.Errorf("integration %q still exists after destroy", id)
			}
			return nil
		},
	})
}

// The whole story of a slow first import with delete_assets_on_destroy, on
// a server that deletes assets even while data products use them: the run
// outlasts the create timeout but the integration is not tainted, a data
// product is built on a model the run imported, raising the timeout starts
// no run and replaces nothing, and neither a destroy nor a replacement of
// the integration deletes the governed model.
func TestAccIntegration_slowFirstRunLosesNothing(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{DeleteAssetsInUse: true})
	id := acctest.Unique("slow")
	dp := acctest.Unique("revenue")
	model := entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	integration := func(externalID, timeout string) string {
		return fmt.Sprintf(`
resource "entropydata_powerbi_integration" "test" {
  external_id              = %q
  credentials              = %s
  name                     = "Slow %s"
  run_on_apply             = true
  delete_assets_on_destroy = true
  filters                  = { workspaces = { include = ["Finance"] } }
  schedule                 = { preset = "manual" }
  timeouts                 = { create = %q }
}
`, externalID, demoCredentials, externalID, timeout)
	}
	product := func(dependsOn string) string {
		return fmt.Sprintf(`
resource "entropydata_powerbi_data_product" "revenue" {
  id         = %q
  type       = "semantic_model"
  asset_id   = %q
  title      = "Revenue Model"
  owner_team = "finance"
  %s
}
`, dp, model, dependsOn)
	}
	withProduct := acctest.ProviderConfig(sb) + integration(id, "20m") + product("depends_on = [entropydata_powerbi_integration.test]")
	refused := regexp.MustCompile(`(?s)Destroy would delete governed Power BI assets.*` + dp + `.*Revenue`)
	modelKept := func() {
		if _, ok := sb.API.Asset(model); !ok {
			t.Errorf("the governed model %s was deleted", model)
		}
		if _, ok := sb.API.Integration(id); !ok {
			t.Errorf("the integration %s was deleted", id)
		}
	}
	var release func()
	t.Cleanup(func() {
		if release != nil {
			release()
		}
	})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				// The run is held until the provider has stopped waiting.
				PreConfig: func() { release = sb.API.HoldRuns() },
				Config:    acctest.ProviderConfig(sb) + integration(id, "5s"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, latestRunStatus, knownvalue.StringExact("RUNNING")),
				},
				ExpectNonEmptyPlan: true, // the run to repeat, while it has not succeeded
			},
			{
				// The run finishes in Entropy Data; the next apply raises the
				// timeout and builds a data product on the imported model.
				PreConfig: func() {
					release()
					if err := sb.API.WaitIdle(context.Background()); err != nil {
						t.Fatal(err)
					}
				},
				Config: withProduct,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(resourceName, latestRunStatus, knownvalue.StringExact("SUCCESS")),
						plancheck.ExpectResourceAction("entropydata_powerbi_data_product.revenue", plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectRuns(t, sb, id, 1),
			},
			{
				// Destroying the integration alone would delete the model.
				Config:      acctest.ProviderConfig(sb) + product(""),
				ExpectError: refused,
			},
			{
				// So would replacing it.
				PreConfig:   modelKept,
				Config:      acctest.ProviderConfig(sb) + integration(id+"-new", "20m") + product("depends_on = [entropydata_powerbi_integration.test]"),
				ExpectError: refused,
			},
			{
				PreConfig: modelKept,
				Config:    withProduct,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
		// Destroying both deletes the data product first; then the assets may go.
		CheckDestroy: func(*terraform.State) error {
			if _, ok := sb.API.Integration(id); ok {
				return fmt.Errorf("integration %q still exists after destroy", id)
			}
			if _, ok := sb.API.Asset(model); ok {
				return fmt.Errorf("delete_assets_on_destroy did not delete %s once no data product used it", model)
			}
			return nil
		},
	})
}

// The guard fails closed: when Entropy Data does not answer (503, retries
// off) a filter change fails the plan and a destroy with
// delete_assets_on_destroy fails, each saying why and what to do.
func TestAccIntegration_guardFailsClosed(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	id := acctest.Unique("closed")
	cfg := func(filters, extra string) string {
		return acctest.ProviderConfig(sb, "max_retries = 0") + fmt.Sprintf(`
resource "entropydata_powerbi_integration" "test" {
  external_id  = %q
  credentials  = %s
  name         = "Closed %s"
  run_on_apply = true
  filters      = %s
  schedule     = { preset = "manual" }
  %s
}
`, id, demoCredentials, id, filters, extra)
	}
	finance := `{ workspaces = { include = ["Finance"] } }`
	harmless := `{ workspaces = { include = ["Finance"] }, reports = { exclude = ["*(old)"] } }`
	var fault []int
	addFault := func() {
		ids, err := sb.Faults.AddSpec("GET /api/dataproducts 503 surface=entropydata")
		if err != nil {
			t.Fatal(err)
		}
		fault = ids
	}
	removeFault := func() {
		for _, f := range fault {
			sb.Faults.Remove(f)
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: cfg(finance, "")},
			{
				PreConfig: func() {
					putRevenueModelProduct(t, sb)
					addFault()
				},
				Config: cfg(harmless, ""),
				ExpectError: regexp.MustCompile(`(?s)Could not check for governed Power BI assets.*list\s+data\s+products.*503.*` +
					`allow_dropping_governed_assets\s+=\s+true`),
			},
			{
				// The way out the error names.
				Config: cfg(harmless, "allow_dropping_governed_assets = true"),
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					if rec.Configuration.Filters.Reports == nil || len(rec.Configuration.Filters.Reports.Exclude) != 1 {
						return fmt.Errorf("the filter change was not saved: %+v", rec.Configuration.Filters)
					}
					return nil
				}),
			},
			{
				PreConfig: removeFault,
				Config:    cfg(harmless, "delete_assets_on_destroy = true"),
			},
			{
				PreConfig: addFault,
				Config:    acctest.ProviderConfig(sb, "max_retries = 0"),
				ExpectError: regexp.MustCompile(`(?s)Could not check for governed Power BI assets.*was\s+not\s+deleted.*503.*` +
					`delete_assets_on_destroy\s+=\s+false`),
			},
			{
				PreConfig: func() {
					removeFault()
					if _, ok := sb.API.Integration(id); !ok {
						t.Error("the integration was deleted although the check failed")
					}
					if err := sb.API.DeleteDataProduct("revenue-model"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(harmless, "delete_assets_on_destroy = true"),
			},
		},
	})
}

// A new owner team is checked at plan time, as the data product's is.
func TestAccIntegration_ownerTeamCheckedAtPlan(t *testing.T) {
	sb := acctest.Sandbox(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config: integrationHCL(sb, acctest.Unique("team"), demoCredentials, `
  name       = "No such team"
  owner_team = "no-such-team"
  schedule   = { preset = "manual" }
`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Unknown owner team.*no-such-team`),
		}},
	})
}

// Time alone changes nothing: days passing neither change the state nor make
// a plan, and a saved plan that creates or changes a schedule still applies
// a day later. The provider and the sandbox share an injected clock.
func TestAccIntegration_timeChangesNothing(t *testing.T) {
	acctest.PreCheck(t)
	clock := acctest.NewClock(time.Date(2026, 3, 10, 12, 30, 0, 0, time.UTC))
	sb := acctest.StartSandbox(t, sandbox.Options{Now: clock.Now})
	w := newTFDir(t, sb, provider.WithClock(clock.Now))
	id := acctest.Unique("clock")
	cfg := func(sched string) string {
		return integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name     = "Clock %s"
  schedule = %s
`, id, sched)) + `
output "next_runs" {
  value = entropydata_powerbi_integration.test.schedule.next_runs
}
`
	}
	noErrors := func(what string, diags []planDiagnostic) {
		t.Helper()
		if errs := diagsWithSeverity(diags, "error"); len(errs) > 0 {
			t.Fatalf("%s failed:\n%s", what, diagList(errs))
		}
	}
	nextRuns := func() string {
		t.Helper()
		var runs []string
		if err := json.Unmarshal(w.terraform("output", "-json", "next_runs"), &runs); err != nil {
			t.Fatal(err)
		}
		return strings.Join(runs, " ")
	}

	// Planned on the 10th, approved and applied on the 11th.
	daily := cfg(`{ preset = "daily" }`)
	noErrors("plan", w.run(daily, "plan", "-json", "-input=false", "-lock=false", "-out=create.tfplan"))
	clock.Advance(24 * time.Hour)
	noErrors("applying the saved plan a day later", w.run(daily, "apply", "-json", "-input=false", "-lock=false", "create.tfplan"))
	want := "2026-03-12T06:00:00Z 2026-03-13T06:00:00Z 2026-03-14T06:00:00Z"
	if got := nextRuns(); got != want {
		t.Fatalf("next_runs after the apply = %s, want %s (counted from the apply)", got, want)
	}

	// Three days and several run times later: no drift, nothing to plan.
	clock.Advance(72 * time.Hour)
	if code := w.detailedExitCode(); code != 0 {
		t.Errorf("plan -detailed-exitcode = %d after the clock moved, want 0 (no changes)", code)
	}
	noErrors("refresh", w.run(daily, "apply", "-json", "-input=false", "-lock=false", "-refresh-only", "-auto-approve"))
	if got := nextRuns(); got != want {
		t.Errorf("next_runs changed with the clock: %s, want %s", got, want)
	}

	// A saved plan that changes the schedule applies a day later too.
	weekdays := cfg(`{ cron = "0 7 * * 1-5" }`)
	noErrors("plan", w.run(weekdays, "plan", "-json", "-input=false", "-lock=false", "-out=change.tfplan"))
	clock.Advance(24 * time.Hour) // now Sunday 2026-03-15 12:30
	noErrors("applying the saved plan a day later", w.run(weekdays, "apply", "-json", "-input=false", "-lock=false", "change.tfplan"))
	if got, want := nextRuns(), "2026-03-16T07:00:00Z 2026-03-17T07:00:00Z 2026-03-18T07:00:00Z"; got != want {
		t.Errorf("next_runs after the change = %s, want %s", got, want)
	}
	if code := w.detailedExitCode(); code != 0 {
		t.Errorf("plan -detailed-exitcode = %d after applying, want 0", code)
	}
	rec, ok := sb.API.Integration(id)
	if !ok || rec.Configuration.ScheduleExpression == nil || *rec.Configuration.ScheduleExpression != "0 0 7 ? * MON-FRI" {
		t.Errorf("stored schedule = %+v, want 0 0 7 ? * MON-FRI", rec.Configuration.ScheduleExpression)
	}
	w.terraform("destroy", "-auto-approve", "-input=false", "-lock=false", "-no-color")
}

// The guard scales with the data products of the Power BI types, not with
// the catalog: 500 governed data products in the large tenant of make bench
// and make sandbox -tenant large (7,100 imported assets, 1,000 semantic
// models) cost two lists, one read per data product (the list leaves out
// their assets) and one per governed asset, and the plan passes; dropping a
// governed model is still caught.
func TestAccIntegration_guardScales(t *testing.T) {
	acctest.PreCheck(t)
	const n = 500
	sb := acctest.StartSandbox(t, sandbox.Options{Tenant: tenant.Generate(tenant.GenerateOptions{})}) // the large tenant
	w := newTFDir(t, sb)
	id := acctest.Unique("scale")
	cfg := func(filters string) string {
		return integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name                 = "Scale %s"
  run_on_apply         = true
  validate_credentials = false
  filters              = %s
  schedule             = { preset = "manual" }
`, id, filters))
	}
	if errs := diagsWithSeverity(w.apply(cfg(`{ workspaces = { include = ["*"] } }`)), "error"); len(errs) > 0 {
		t.Fatalf("apply failed:\n%s", diagList(errs))
	}

	// Seed a data product on every semantic model of the first half of the
	// workspaces (ten models each), through the API.
	byWorkspace := map[string][]entropyapi.Asset{}
	imported := 0
	for _, a := range sb.API.Assets() {
		if a.Info.Type == entropydata.AssetTypePowerBISemanticModel && a.Custom[entropydata.CustomIntegration] == id {
			ws, _ := a.Custom[entropydata.CustomWorkspaceName].(string)
			byWorkspace[ws] = append(byWorkspace[ws], a)
			imported++
		}
	}
	if imported != 2*n {
		t.Fatalf("the run imported %d semantic models, want %d", imported, 2*n)
	}
	workspaces := slices.Sorted(maps.Keys(byWorkspace))
	var models []entropyapi.Asset
	for _, ws := range workspaces[:len(workspaces)/2] {
		models = append(models, byWorkspace[ws]...)
	}
	if len(models) != n {
		t.Fatalf("%d semantic models in the first half of the workspaces, want %d", len(models), n)
	}
	client := apiClient(t, sb)
	err := parallel.ForEach(context.Background(), n, 8, func(ctx context.Context, i int) error {
		return client.PutDataProduct(ctx, entropydata.DataProduct{
			ID:     fmt.Sprintf("governed-%03d", i),
			Info:   entropydata.DataProductInfo{Title: models[i].Info.Name, Owner: "finance", Archetype: entropydata.DataProductTypePowerBISemanticModel},
			Assets: []entropydata.AssetRef{{AssetID: models[i].ID}},
		})
	})
	if err != nil {
		t.Fatal(err)
	}

	sb.Faults.Reset()
	diags := w.plan(cfg(`{ workspaces = { include = ["*"], exclude = ["No such workspace"] } }`))
	if errs := diagsWithSeverity(diags, "error"); len(errs) > 0 {
		t.Fatalf("the plan failed:\n%s", diagList(errs))
	}
	counts := sb.Faults.Counts()
	for route, want := range map[string]int{
		"GET /api/dataproducts/{id}": n, // the list leaves out the assets
		"GET /api/assets/{id}":       n, // one per governed asset, never per catalog asset
		"GET /api/assets":            0, // the catalog is never listed
	} {
		if got := counts[route]; got != want {
			t.Errorf("%s: %d requests, want %d", route, got, want)
		}
	}
	if total := sb.Faults.Total(); total > 2*n+20 {
		t.Errorf("the plan made %d requests, want at most %d: %v", total, 2*n+20, counts)
	}

	// One workspace fewer drops its ten governed models.
	dropped := models[0].Custom[entropydata.CustomWorkspaceName].(string)
	diags = w.plan(cfg(fmt.Sprintf(`{ workspaces = { include = ["*"], exclude = [%q] } }`, dropped)))
	if got := len(find(diags, "error", "Filter change would drop a governed Power BI asset")); got != 10 {
		t.Errorf("%d governed models reported dropped with workspace %q, want 10:\n%s", got, dropped, diagList(diags))
	}
}

// A list data source that names an integration created in the same
// configuration by a literal id reads during the plan, too early: that is an
// error saying how to order it, not an empty list (which under for_each would
// plan to destroy everything built from it). Ordered after the integration,
// it lists what the first run imported.
func TestAccIntegration_dataSourceOrderedAfterIntegration(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("ordered")
	cfg := func(integration, dependsOn string) string {
		return integrationHCL(sb, id, demoCredentials, `
  name         = "Ordered `+id+`"
  run_on_apply = true
  filters      = { workspaces = { include = ["Finance"] } }
  schedule     = { preset = "manual" }
`) + `
data "entropydata_powerbi_semantic_models" "finance" {
  integration = ` + integration + `
  ` + dependsOn + `
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:      cfg(fmt.Sprintf("%q", id), ""),
				ExpectError: regexp.MustCompile(`(?s)Unknown integration.*` + id + `.*depends_on\s+=\s+\[entropydata_powerbi_integration\.`),
			},
			{
				Config: cfg(fmt.Sprintf("%q", id), "depends_on = [entropydata_powerbi_integration.test]"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entropydata_powerbi_semantic_models.finance", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
				},
			},
		},
	})
}

// A plan that replaces an integration whose assets data products use, with
// delete_assets_on_destroy, warns that the apply will refuse.
func TestAccIntegration_replacementWarns(t *testing.T) {
	acctest.PreCheck(t)
	t.Parallel()
	sb := acctest.StartSandbox(t, sandbox.Options{})
	w := newTFDir(t, sb)
	id := acctest.Unique("replace")
	cfg := func(externalID string) string {
		return previewHCL(sb, externalID, `{ workspaces = { include = ["Finance"] } }`, "run_on_apply = true\n  delete_assets_on_destroy = true")
	}
	if errs := diagsWithSeverity(w.apply(cfg(id)), "error"); len(errs) > 0 {
		t.Fatalf("apply failed:\n%s", diagList(errs))
	}
	putRevenueModelProduct(t, sb)
	expectDiagnostic(t, w.plan(cfg(id+"-new")), "warning", "Replacement would delete governed Power BI assets",
		`Changing external_id replaces the integration "`+id+`"`,
		`data product "revenue-model" uses the semantic model "Revenue"`, "Applying will refuse")
}
