package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// uiConfiguration is an integration configuration shaped like one made in
// the UI rather than by this provider: source "fabric", a flat filter list,
// keys the provider does not know at every level, no schedule.
const uiConfiguration = `{
  "source": "fabric", "name": %q, "assetOwnerTeamExternalId": "finance",
  "options": {"importHiddenTables": true, "capacity": "A1"},
  "filters": {
    "workspaces": ["Finance*"],
    "datasets": ["keep-me"],
    "reports": {"exclude": ["*(old)"], "mode": "glob"}
  }
}`

// createInUI stores an integration the way the UI would: through the
// sandbox's Go API, not the provider.
func createInUI(t *testing.T, sb *sandbox.Sandbox, id, name string) {
	t.Helper()
	var cfg entropyapi.IntegrationConfiguration
	if err := json.Unmarshal(fmt.Appendf(nil, uiConfiguration, name), &cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.API.PutIntegration(id, cfg, &entropyapi.Credential{
		Type:    entropyapi.CredentialTypeServicePrincipal,
		Details: map[string]string{"tenantId": tenant.DemoTenantID, "clientId": tenant.DemoClientID, "clientSecret": tenant.DemoClientSecret},
	}, nil); err != nil {
		t.Fatal(err)
	}
}

// storedConfiguration is the raw configuration document the sandbox holds.
func storedConfiguration(sb *sandbox.Sandbox, id string) (map[string]any, error) {
	rec, ok := sb.API.Integration(id)
	if !ok {
		return nil, fmt.Errorf("integration %q is not in the sandbox", id)
	}
	b, err := json.Marshal(rec.Configuration)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// unmanagedUnchanged checks that what the provider does not manage is on
// the server exactly as the UI stored it, and that the managed parts are
// as wanted.
func unmanagedUnchanged(sb *sandbox.Sandbox, id string, workspaces []any, reportsExclude []any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cfg, err := storedConfiguration(sb, id)
		if err != nil {
			return err
		}
		filters, _ := cfg["filters"].(map[string]any)
		want := map[string]any{"importHiddenTables": true, "capacity": "A1"}
		switch {
		case cfg["source"] != "fabric":
			return fmt.Errorf("the source changed to %v", cfg["source"])
		case !reflect.DeepEqual(cfg["options"], want):
			return fmt.Errorf("options = %v, want %v", cfg["options"], want)
		case !reflect.DeepEqual(filters["datasets"], []any{"keep-me"}):
			return fmt.Errorf("filters.datasets = %v", filters["datasets"])
		case !reflect.DeepEqual(filters["workspaces"], workspaces):
			return fmt.Errorf("filters.workspaces = %#v, want the flat list %v", filters["workspaces"], workspaces)
		}
		reports, _ := filters["reports"].(map[string]any)
		if reports["mode"] != "glob" || !reflect.DeepEqual(reports["exclude"], reportsExclude) {
			return fmt.Errorf("filters.reports = %v", filters["reports"])
		}
		if _, ok := filters["semanticModels"]; ok {
			return fmt.Errorf("filters.semanticModels was added: %v", filters)
		}
		return nil
	}
}

// onlyChanges passes when the resource's planned change touches no
// attribute other than the allowed ones.
type onlyChanges struct {
	addr    string
	allowed []string
}

func (c onlyChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		for k, v := range after {
			if slices.Contains(c.allowed, k) {
				continue
			}
			if u, _ := unknown[k].(bool); u || !reflect.DeepEqual(before[k], v) {
				resp.Error = fmt.Errorf("the plan changes %s: %v -> %v", k, before[k], v)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("no planned change for %s", c.addr)
}

// An integration made in the UI, of another shape than the provider writes,
// is imported and managed: the plan after the import only sends the
// credential (which the API never returns), a change applies, and whatever
// the provider does not manage stays on the server unchanged, the source
// and the flat filter list included.
func TestAccIntegration_uiShapedImport(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("ui-made")
	name := "UI made " + id
	createInUI(t, sb, id, name)

	config := func(name, workspaces, reportsExclude string) string {
		return integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name       = %q
  owner_team = "finance"
  filters = {
    workspaces = { include = %s }
    reports    = { exclude = %s }
  }
  schedule = { preset = "manual" }
`, name, workspaces, reportsExclude))
	}
	imported := config(name, `["Finance*"]`, `["*(old)"]`)
	changed := config("Renamed "+id, `["Finance*", "Sales*"]`, `["*(old)", "*Draft*"]`)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:             imported,
				ResourceName:       resourceName,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					a := states[0].Attributes
					if a["name"] != name || a["owner_team"] != "finance" || a["filters.workspaces.include.0"] != "Finance*" ||
						a["filters.reports.exclude.0"] != "*(old)" || a["schedule.preset"] != "manual" {
						return fmt.Errorf("imported state %v", a)
					}
					return nil
				},
			},
			{
				Config: imported,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						onlyChanges{resourceName, []string{"credentials", "filter_preview"}},
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: unmanagedUnchanged(sb, id, []any{"Finance*"}, []any{"*(old)"}),
			},
			{
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("name"), knownvalue.StringExact("Renamed "+id)),
				},
				Check: resource.ComposeTestCheckFunc(
					unmanagedUnchanged(sb, id, []any{"Finance*", "Sales*"}, []any{"*(old)", "*Draft*"}),
					storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
						if rec.Configuration.Name != "Renamed "+id {
							return fmt.Errorf("name not changed: %q", rec.Configuration.Name)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:                         resourceName,
				ImportState:                          true,
				ImportStateId:                        id,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "external_id",
				ImportStateVerifyIgnore:              []string{"credentials", "timeouts", "filter_preview"},
			},
		},
	})
}

// Against a server whose integrations API is read-and-run only, the
// resource fails with the explanation, and a configuration that refers to
// an integration made in the UI (data sources for the integration, its runs
// and what it imported, and a data product on an imported model) applies.
func TestAccIntegration_readOnlyServer(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{IntegrationsReadOnly: true})
	made := acctest.Ingest(t, sb, "Finance") // made "in the UI", and run once
	id := acctest.Unique("readonly")
	product := acctest.Unique("revenue")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: integrationHCL(sb, id, demoCredentials, `
  name     = "Read only"
  schedule = { preset = "manual" }
`),
				ExpectError: regexp.MustCompile(`(?s)does\s+not\s+let\s+integrations\s+be\s+created.*read-and-run\s+only.*Entropy\s+Data\s+UI.*data\s+source\s+entropydata_powerbi_integration`),
			},
			{
				Config: acctest.ProviderConfig(sb) + fmt.Sprintf(`
data "entropydata_powerbi_integration" "ui" {
  external_id = %q
}

data "entropydata_powerbi_integration" "seeded" {
  external_id = %q
}

data "entropydata_powerbi_integration_runs" "ui" {
  integration = data.entropydata_powerbi_integration.ui.external_id
}

data "entropydata_powerbi_semantic_models" "revenue" {
  integration = data.entropydata_powerbi_integration.ui.external_id
  name        = "Revenue"
}

data "entropydata_powerbi_reports" "ui" {
  integration = data.entropydata_powerbi_integration.ui.external_id
}

data "entropydata_powerbi_semantic_model" "revenue" {
  integration = data.entropydata_powerbi_integration.ui.external_id
  name        = "Revenue"
}

resource "entropydata_powerbi_data_product" "revenue" {
  id         = %q
  type       = "semantic_model"
  asset_id   = data.entropydata_powerbi_semantic_models.revenue.semantic_models[0].id
  title      = "Revenue"
  owner_team = data.entropydata_powerbi_integration.ui.owner_team
  upstream   = []
}
`, made, sandbox.UIIntegration, product),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("name"), knownvalue.StringExact("Sandbox ingest "+made)),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("source"), knownvalue.StringExact("powerbi")),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("owner_team"), knownvalue.StringExact("finance")),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("schedule").AtMapKey("preset"), knownvalue.StringExact("manual")),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("filters").AtMapKey("workspaces").AtMapKey("include"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Finance")})),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("latest_run").AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration_runs.ui", tfjsonpath.New("runs"), knownvalue.ListSizeExact(1)),
					// The integration the read-only sandbox starts with, as if made in the UI.
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.seeded", tfjsonpath.New("source"), knownvalue.StringExact("fabric")),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.seeded", tfjsonpath.New("filters").AtMapKey("workspaces").AtMapKey("include"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Finance*")})),
					statecheck.ExpectKnownValue("entropydata_powerbi_data_product.revenue", tfjsonpath.New("output_port").AtMapKey("name"), knownvalue.StringExact("Revenue")),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_reports.ui", tfjsonpath.New("reports"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_semantic_model.revenue", tfjsonpath.New("tables"), knownvalue.ListSizeExact(3)),
				},
			},
		},
	})
}

// The data source reads a UI-shaped integration: flat lists as include,
// no schedule as manual, the fabric source.
func TestAccIntegrationDataSource_uiShaped(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("ui-ds")
	createInUI(t, sb, id, "UI "+id)
	const ds = "data.entropydata_powerbi_integration.ui"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(sb) + fmt.Sprintf(`
data "entropydata_powerbi_integration" "ui" {
  external_id = %q
}
`, id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("source"), knownvalue.StringExact("fabric")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("schedule").AtMapKey("description"), knownvalue.StringExact("manual runs only")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("schedule").AtMapKey("next_runs"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("filters").AtMapKey("workspaces").AtMapKey("include"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Finance*")})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("filters").AtMapKey("semantic_models").AtMapKey("include"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("latest_run"), knownvalue.Null()),
				},
			},
			{
				// Scheduled in the UI: the data source shows what the schedule means.
				PreConfig: func() {
					if err := sb.API.EditIntegration(id, func(rec *entropyapi.IntegrationRecord) {
						q := "0 30 5,17 ? * MON-FRI"
						rec.Configuration.ScheduleExpression = &q
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: acctest.ProviderConfig(sb) + fmt.Sprintf(`
data "entropydata_powerbi_integration" "ui" {
  external_id = %q
}
`, id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("schedule").AtMapKey("cron"), knownvalue.StringExact("30 5,17 * * 1-5")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("schedule").AtMapKey("next_runs"), knownvalue.ListSizeExact(3)),
				},
			},
		},
	})
}

// On a read-and-run-only server, an integration made in the UI can be
// imported into the resource, but changing or destroying it fails with the
// explanation; a removed block then lets Terraform forget it, and the data
// source takes over.
func TestAccIntegration_readOnlyServerManagedIntegration(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{IntegrationsReadOnly: true})
	id := sandbox.UIIntegration
	config := func(name string) string {
		return integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name       = %q
  owner_team = "finance"
  filters    = { workspaces = { include = ["Finance*"] } }
  schedule   = { preset = "manual" }
`, name))
	}
	forget := acctest.ProviderConfig(sb) + `
removed {
  from = entropydata_powerbi_integration.test
  lifecycle {
    destroy = false
  }
}

data "entropydata_powerbi_integration" "ui" {
  external_id = "` + id + `"
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:             config("Finance Power BI (made in the UI)"),
				ResourceName:       resourceName,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				Config:      config("Renamed"),
				ExpectError: regexp.MustCompile(`(?s)does\s+not\s+let\s+Terraform\s+change\s+integrations.*Entropy\s+Data\s+UI`),
			},
			{
				Config:      acctest.ProviderConfig(sb),
				ExpectError: regexp.MustCompile(`(?s)does\s+not\s+let\s+Terraform\s+delete\s+integrations.*removed\s+block`),
			},
			{
				Config: forget,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration.ui", tfjsonpath.New("name"),
						knownvalue.StringExact("Finance Power BI (made in the UI)")),
				},
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					if rec.Configuration.Name != "Finance Power BI (made in the UI)" || rec.Configuration.Source != "fabric" {
						return fmt.Errorf("the integration changed: %+v", rec.Configuration)
					}
					return nil
				}),
			},
		},
	})
}

// A UI-made integration managed without its credential (which Terraform
// does not know): the import plans nothing at all, a change applies, and
// the stored credential, the source and every unknown key stay.
func TestAccIntegration_uiShapedImportWithoutCredentials(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("ui-nocred")
	name := "UI made " + id
	createInUI(t, sb, id, name)
	config := func(name, workspaces string) string {
		return integrationHCL(sb, id, "null", fmt.Sprintf(`
  name       = %q
  owner_team = "finance"
  filters = {
    workspaces = { include = %s }
    reports    = { exclude = ["*(old)"] }
  }
  schedule = { preset = "manual" }
`, name, workspaces))
	}
	imported := config(name, `["Finance*"]`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config:             imported,
				ResourceName:       resourceName,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				Config:   imported,
				PlanOnly: true, // fails on any planned change
			},
			{
				Config: config("Renamed "+id, `["Finance*", "Sales*"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					unmanagedUnchanged(sb, id, []any{"Finance*", "Sales*"}, []any{"*(old)"}),
					storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
						if rec.Configuration.Name != "Renamed "+id || rec.Credential == nil || rec.Credential.Details["clientSecret"] != tenant.DemoClientSecret {
							return fmt.Errorf("stored %+v with credential %+v", rec.Configuration, rec.Credential)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:                         resourceName,
				ImportState:                          true,
				ImportStateId:                        id,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "external_id",
				ImportStateVerifyIgnore:              []string{"timeouts"},
			},
		},
	})
}

// Creating an integration needs its credential: the plan says so.
func TestAccIntegration_createWithoutCredentials(t *testing.T) {
	sb := acctest.Sandbox(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: integrationHCL(sb, acctest.Unique("nocred"), "null", `
  name     = "No credentials"
  schedule = { preset = "manual" }
`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Missing credentials.*Creating an integration needs the service\s+principal`),
		}},
	})
}
