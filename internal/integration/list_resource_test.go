package integration_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

// terraform query lists the Power BI integrations, filtered by owner team,
// name pattern and enabled, each with its identity, its name as display name
// and the attributes an import reads; the credential, which the server never
// returns, is null.
func TestAccIntegration_list(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	one := func(name, id, owner string, enabled bool) string {
		return fmt.Sprintf(`
resource "entropydata_powerbi_integration" %q {
  external_id = %q
  name        = %q
  owner_team  = %q
  enabled     = %t
  credentials = %s
  filters     = { workspaces = { include = ["Finance*"] } }
  schedule    = { cron = "30 5 * * 1-5" }
}
`, name, id, "Power BI "+id, owner, enabled, demoCredentials)
	}
	list := func(name, config string) string {
		return acctest.ListBlock("entropydata_powerbi_integration", name, config)
	}
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"external_id": knownvalue.StringExact(id)})
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(sb) +
					one("a", "finance-reports", "finance", true) +
					one("b", "finance-archive", "finance", false) +
					one("c", "sales-reports", "sales", true),
			},
			{
				// The provider block is in the configuration of the first step.
				Config: list("all", "") +
					list("finance", `owner_team = "finance"`) +
					list("reports", `name = "power bi *-REPORTS"`) +
					list("disabled", `enabled = false`) +
					list("none", `name = "nothing*"`),
				Query: true,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("entropydata_powerbi_integration.all", 3),
					querycheck.ExpectLength("entropydata_powerbi_integration.finance", 2),
					querycheck.ExpectLength("entropydata_powerbi_integration.reports", 2),
					querycheck.ExpectLength("entropydata_powerbi_integration.disabled", 1),
					querycheck.ExpectIdentity("entropydata_powerbi_integration.disabled", map[string]knownvalue.Check{
						"external_id": knownvalue.StringExact("finance-archive"),
					}),
					querycheck.ExpectLength("entropydata_powerbi_integration.none", 0),
					querycheck.ExpectResourceDisplayName("entropydata_powerbi_integration.all", byID("sales-reports"),
						knownvalue.StringExact("Power BI sales-reports")),
					querycheck.ExpectResourceKnownValues("entropydata_powerbi_integration.all", byID("finance-reports"),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("owner_team"), KnownValue: knownvalue.StringExact("finance")},
							{Path: tfjsonpath.New("schedule").AtMapKey("cron"), KnownValue: knownvalue.StringExact("30 5 * * 1-5")},
							{Path: tfjsonpath.New("filters").AtMapKey("workspaces").AtMapKey("include"),
								KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Finance*")})},
							// Never returned by Entropy Data: generated configuration keeps the stored one.
							{Path: tfjsonpath.New("credentials"), KnownValue: knownvalue.Null()},
						}),
				},
			},
		},
	})
}
