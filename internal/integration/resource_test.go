package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
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
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

const resourceName = "entropydata_powerbi_integration.test"

// integrationHCL renders the resource under test; body holds everything but
// external_id and the credentials, which most tests share.
func integrationHCL(sb *sandbox.Sandbox, id, credentials, body string) string {
	return acctest.ProviderConfig(sb) + fmt.Sprintf(`
resource "entropydata_powerbi_integration" "test" {
  external_id = %q
  credentials = %s
  %s
}
`, id, credentials, body)
}

func woCredentials(secret string, version int) string {
	return fmt.Sprintf(`{
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = %q
    client_secret_wo_version = %d
  }`, acctest.TenantID, acctest.ClientID, secret, version)
}

var demoCredentials = woCredentials(acctest.ClientSecret, 1)

// storedIntegration checks what the sandbox holds for the integration.
func storedIntegration(sb *sandbox.Sandbox, id string, check func(entropyapi.IntegrationRecord) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		rec, ok := sb.API.Integration(id)
		if !ok {
			return fmt.Errorf("integration %q is not in the sandbox", id)
		}
		return check(rec)
	}
}

func apiClient(t *testing.T, sb *sandbox.Sandbox) *entropydata.Client {
	t.Helper()
	c, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: sb.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAccIntegration_lifecycle(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("finance")
	name := "Finance " + id

	created := integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name        = %q
  description = "Finance reporting"
  owner_team  = "finance"
  filters = {
    workspaces = { include = ["Finance*"], exclude = ["*Sandbox*"] }
  }
  schedule = { preset = "daily" }
`, name))
	updated := integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name       = %q
  owner_team = "finance"
  enabled    = false
  filters = {
    workspaces      = { include = ["Finance", "Sales*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { include = ["*"], exclude = ["*Old*"] }
  }
  schedule = { cron = "30 5,17 * * 1-5" }
`, name))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
						// The reviewer sees what the schedule means before applying.
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("description"),
							knownvalue.StringExact("every day at 06:00 UTC")),
						// The next runs depend on when it is applied.
						plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("next_runs")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("quartz_expression"), knownvalue.StringExact("0 0 6 * * ?")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("next_runs"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("filters").AtMapKey("workspaces").AtMapKey("exclude"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("*Sandbox*")})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("filters").AtMapKey("reports").AtMapKey("include"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("latest_run"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("credentials").AtMapKey("client_secret_wo"), knownvalue.Null()),
				},
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					cfg := rec.Configuration
					switch {
					case cfg.Source != "powerbi" || cfg.Name != name || cfg.AssetOwnerTeamExternalID != "finance":
						return fmt.Errorf("stored configuration %+v", cfg)
					case cfg.ScheduleExpression == nil || *cfg.ScheduleExpression != "0 0 6 * * ?":
						return fmt.Errorf("stored schedule %v, want 0 0 6 * * ?", cfg.ScheduleExpression)
					case rec.Credential == nil || rec.Credential.Details["clientSecret"] != acctest.ClientSecret ||
						rec.Credential.Details["tenantId"] != acctest.TenantID || rec.Credential.Type != "service_principal":
						return fmt.Errorf("stored credential %+v", rec.Credential)
					case cfg.Filters == nil || cfg.Filters.Workspaces == nil || strings.Join(cfg.Filters.Workspaces.Include, ",") != "Finance*":
						return fmt.Errorf("stored filters %+v", cfg.Filters)
					}
					return nil
				}),
			},
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("quartz_expression"),
							knownvalue.StringExact("0 30 5,17 ? * MON-FRI")),
						// A changed schedule shows what it means; its next runs depend on when it is applied.
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("description"),
							knownvalue.StringExact("Mon-Fri at 05:30 and 17:30 UTC")),
						plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("next_runs")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("schedule").AtMapKey("cron"), knownvalue.StringExact("30 5,17 * * 1-5")),
				},
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					cfg := rec.Configuration
					if rec.Enabled || *cfg.ScheduleExpression != "0 30 5,17 ? * MON-FRI" ||
						strings.Join(cfg.Filters.Reports.Exclude, ",") != "*Old*" || cfg.Description != "" {
						return fmt.Errorf("update not stored: enabled=%v %+v", rec.Enabled, cfg)
					}
					// No secret was sent, so the stored one is kept.
					if rec.Credential.Details["clientSecret"] != acctest.ClientSecret {
						return fmt.Errorf("stored secret changed on an update that did not touch credentials")
					}
					return nil
				}),
			},
			{
				ResourceName:                         resourceName,
				ImportState:                          true,
				ImportStateId:                        id,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "external_id",
				// The API never returns the credential; timeouts and the preview are local; an
				// import counts the next runs from its own time.
				ImportStateVerifyIgnore: []string{"credentials", "timeouts", "filter_preview", "schedule.next_runs"},
			},
			{
				// A change in the UI shows as drift and the apply restores the code's version.
				PreConfig: func() {
					if err := sb.API.EditIntegration(id, func(rec *entropyapi.IntegrationRecord) {
						rec.Configuration.Name = "Renamed in the UI"
						rec.Configuration.Filters.Workspaces.Include = []string{"*"}
						rec.Enabled = true
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					},
				},
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					if rec.Configuration.Name != name || rec.Enabled {
						return fmt.Errorf("drift not corrected: %+v", rec)
					}
					return nil
				}),
			},
			{
				// Deleted outside Terraform: the refresh drops it and the plan recreates it.
				PreConfig: func() {
					if err := apiClient(t, sb).DeleteIntegration(context.Background(), id, false); err != nil {
						t.Fatal(err)
					}
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate)},
				},
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					if rec.Credential == nil || rec.Credential.Details["clientSecret"] != acctest.ClientSecret {
						return fmt.Errorf("recreated integration lacks its credential")
					}
					return nil
				}),
			},
		},
	})
}

// Rotating the secret is a version bump: the new secret reaches Entropy
// Data, and neither secret is ever in the state.
func TestAccIntegration_secretRotation(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	const rotated = "sbx8Q~Rotated.Secret-For-The-Test-00002"
	id := acctest.Unique("rotate")
	body := `
  name     = "Rotation"
  schedule = { preset = "manual" }
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:            integrationHCL(sb, id, demoCredentials, body),
				ConfigStateChecks: []statecheck.StateCheck{noSecretInState(acctest.ClientSecret, rotated)},
			},
			{
				// Same version, new value: write-only values cause no diff by themselves.
				Config: integrationHCL(sb, id, woCredentials(rotated, 1), body),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() {
					if err := sb.Tenant.RotateSecret(acctest.ClientID, rotated); err != nil {
						t.Fatal(err)
					}
				},
				Config: integrationHCL(sb, id, woCredentials(rotated, 2), body),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("credentials").AtMapKey("client_secret_wo_version"), knownvalue.Int64Exact(2)),
					noSecretInState(acctest.ClientSecret, rotated),
				},
				Check: storedIntegration(sb, id, func(rec entropyapi.IntegrationRecord) error {
					if got := rec.Credential.Details["clientSecret"]; got != rotated {
						return fmt.Errorf("the sandbox holds secret %q, want the rotated one", got)
					}
					return nil
				}),
			},
		},
	})
}

// noSecretInState fails when any of the secrets appears anywhere in the state.
func noSecretInState(secrets ...string) statecheck.StateCheck { return secretCheck{secrets} }

type secretCheck struct{ secrets []string }

func (c secretCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("a client secret is in the state")
			return
		}
	}
}

// A run on apply imports exactly what the filters select, and data
// sources later in the same apply could read it.
func TestAccIntegration_runOnApply(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("runs")
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}, // client_secret_wo
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: integrationHCL(sb, id, demoCredentials, `
  name         = "Run on apply `+id+`"
  owner_team   = "finance"
  run_on_apply = true
  filters = {
    workspaces      = { include = ["finance*"], exclude = ["*sandbox*"] }
    semantic_models = { exclude = ["*(old)"] }
    reports         = { exclude = ["*(old)"] }
  }
  schedule = { preset = "manual" }
`) + `
data "entropydata_powerbi_integration_runs" "test" {
  integration = entropydata_powerbi_integration.test.external_id
  depends_on  = [entropydata_powerbi_integration.test]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("latest_run").AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("latest_run").AtMapKey("assets_deleted"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration_runs.test", tfjsonpath.New("runs"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.entropydata_powerbi_integration_runs.test", tfjsonpath.New("runs").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
				},
				Check: func(*terraform.State) error {
					got := importedNames(sb, id)
					want := []string{
						"powerbi_report:Finance KPIs", "powerbi_report:Monthly Close Pack", "powerbi_report:Revenue Overview",
						"powerbi_semantic_model:Finance KPIs", "powerbi_semantic_model:Revenue",
						"powerbi_workspace:Finance",
					}
					if strings.Join(got, "|") != strings.Join(want, "|") {
						return fmt.Errorf("imported assets (tables left out):\n got %v\nwant %v", got, want)
					}
					return nil
				},
			},
		},
	})
}

// importedNames lists "type:name" of the assets an integration imported, tables left out.
func importedNames(sb *sandbox.Sandbox, integration string) []string {
	var out []string
	for _, a := range sb.API.Assets() {
		if a.Custom["integrationExternalId"] == integration && a.Info.Type != "powerbi_table" {
			out = append(out, a.Info.Type+":"+a.Info.Name)
		}
	}
	sort.Strings(out)
	return out
}

// A run already in progress is waited for, then a fresh run is started.
func TestAccIntegration_runAlreadyInProgress(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{RunStartDelay: 1500 * time.Millisecond})
	id := acctest.Unique("busy")
	cfg := func(runOnApply bool) string {
		workspaces := `["Marketing"]`
		if runOnApply {
			workspaces = `["Marketing", "Sales*"]` // a change of what is imported starts the run
		}
		return integrationHCL(sb, id, demoCredentials, fmt.Sprintf(`
  name         = "Busy"
  run_on_apply = %t
  filters      = { workspaces = { include = %s } }
  schedule     = { preset = "weekly" }
`, runOnApply, workspaces))
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}, // client_secret_wo
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{Config: cfg(false)},
			{
				PreConfig: func() {
					if _, err := sb.API.TriggerRun(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("latest_run").AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
				},
				Check: func(*terraform.State) error {
					if runs := sb.API.Runs(id); len(runs) != 2 {
						return fmt.Errorf("want the busy run plus one fresh run, got %d runs", len(runs))
					}
					return nil
				},
			},
		},
	})
}

// Before saving credentials the provider signs in with MSAL; each way of
// getting it wrong is an error on the attribute to fix.
func TestAccIntegration_credentialCheck(t *testing.T) {
	sb := acctest.Sandbox(t)
	cases := []struct {
		name, tenantID, clientID, secret string
		want                             string
	}{
		{"wrong secret", acctest.TenantID, acctest.ClientID, "wrong",
			`(?s)rejected the client secret.*AADSTS7000215`},
		{"unknown application", acctest.TenantID, "00000000-0000-0000-0000-000000000001", acctest.ClientSecret,
			`(?s)does not know this application.*AADSTS700016`},
		{"unknown tenant", "00000000-0000-0000-0000-00000000000a", acctest.ClientID, acctest.ClientSecret,
			`(?s)does not know this tenant.*AADSTS90002`},
		{"no workspace", acctest.TenantID, tenant.NoAccessClientID, tenant.NoAccessClientSecret,
			`sees no Power BI workspace`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := acctest.Unique("creds")
			creds := fmt.Sprintf(`{
    tenant_id     = %q
    client_id     = %q
    client_secret = %q
  }`, tc.tenantID, tc.clientID, tc.secret)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				Steps: []resource.TestStep{{
					Config:      integrationHCL(sb, id, creds, `name = "Credential check `+id+`"`+"\n  schedule = { preset = \"manual\" }"),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			if _, ok := sb.API.Integration(id); ok {
				t.Errorf("integration %q was saved although its credentials are wrong", id)
			}
		})
	}
}

// Every bad input is caught at plan time, on its attribute, before any API call.
func TestAccIntegration_badInput(t *testing.T) {
	sb := acctest.Sandbox(t)
	good := woCredentials(acctest.ClientSecret, 1)
	cases := []struct {
		name, credentials, body, want string
	}{
		{"bad tenant GUID", strings.Replace(good, acctest.TenantID, "contoso", 1), `name = "x"
  schedule = { preset = "daily" }`, `Invalid tenant_id(?s).*"contoso" is not a GUID`},
		{"bad client GUID", strings.Replace(good, acctest.ClientID, "1234", 1), `name = "x"
  schedule = { preset = "daily" }`, `Invalid client_id`},
		{"bad cron", good, `name = "x"
  schedule = { cron = "61 6 * * *" }`, `(?s)Invalid schedule.*minute`},
		{"too frequent", good, `name = "x"
  schedule = { cron = "0 * * * *" }`, `(?s)24 times a day.*at most twice a day`},
		{"unknown preset", good, `name = "x"
  schedule = { preset = "hourly" }`, `(?s)schedule.preset.*value must be one of`},
		{"preset and cron", good, `name = "x"
  schedule = { preset = "daily", cron = "0 6 * * *" }`, `(?s)Invalid Attribute Combination`},
		{"both secret forms", fmt.Sprintf(`{
    tenant_id = %q
    client_id = %q
    client_secret = "a"
    client_secret_wo = "b"
    client_secret_wo_version = 1
  }`, acctest.TenantID, acctest.ClientID), `name = "x"
  schedule = { preset = "daily" }`, `(?s)2 attributes specified when one \(and only one\)`},
		{"neither secret form", fmt.Sprintf(`{
    tenant_id = %q
    client_id = %q
  }`, acctest.TenantID, acctest.ClientID), `name = "x"
  schedule = { preset = "daily" }`, `(?s)No attribute specified when one \(and only one\)`},
		{"write-only secret without version", fmt.Sprintf(`{
    tenant_id = %q
    client_id = %q
    client_secret_wo = "b"
  }`, acctest.TenantID, acctest.ClientID), `name = "x"
  schedule = { preset = "daily" }`, `(?s)client_secret_wo_version.*must be specified`},
		{"empty pattern", good, `name = "x"
  filters = { workspaces = { include = [""] } }
  schedule = { preset = "daily" }`, `(?s)Invalid filter pattern`},
		{"blank name", good, `name = "  "
  schedule = { preset = "daily" }`, `(?s)Invalid name.*must not be blank`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := sb.Faults.Total()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps: []resource.TestStep{{
					Config:      integrationHCL(sb, acctest.Unique("bad"), tc.credentials, tc.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			if after := sb.Faults.Total(); after != before {
				t.Errorf("a bad input reached the API (%d requests)", after-before)
			}
		})
	}
}

func TestAccIntegration_badExternalID(t *testing.T) {
	sb := acctest.Sandbox(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config:      integrationHCL(sb, "finance/powerbi", demoCredentials, `name = "x"`+"\n  schedule = { preset = \"daily\" }"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid id.*may only contain`),
		}},
	})
}

// Errors the server knows about name the conflicting object.
func TestAccIntegration_serverRules(t *testing.T) {
	sb := acctest.Sandbox(t)
	first := acctest.Unique("first")
	name := "Shared name " + first
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}, // client_secret_wo
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: integrationHCL(sb, first, demoCredentials, fmt.Sprintf(`name = %q
  schedule = { preset = "manual" }`, name)) + fmt.Sprintf(`
resource "entropydata_powerbi_integration" "second" {
  external_id = %q
  name        = %q
  credentials = %s
  schedule    = { preset = "manual" }
  depends_on  = [entropydata_powerbi_integration.test]
}`, acctest.Unique("second"), name, demoCredentials),
				ExpectError: regexp.MustCompile(`(?s)name already in use.*"` + first + `"`),
			},
			{
				Config: integrationHCL(sb, acctest.Unique("team"), demoCredentials, `name = "Unknown team"
  owner_team = "no-such-team"
  schedule = { preset = "manual" }`),
				ExpectError: regexp.MustCompile(`(?s)Unknown owner team.*"no-such-team"`),
			},
		},
	})
}

// A server without the integrations feature gets an error that names the setting.
func TestAccIntegration_ingestionsDisabled(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{IngestionsDisabled: true})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}, // client_secret_wo
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config:      integrationHCL(sb, "disabled", demoCredentials, `name = "x"`+"\n  schedule = { preset = \"manual\" }"),
			ExpectError: regexp.MustCompile(`(?s)not available on this Entropy Data server.*APPLICATION_INGESTIONS_ENABLED=true`),
		}},
	})
}
