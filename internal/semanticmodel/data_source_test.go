package semanticmodel_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog/catalogtest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var (
	revenueID    = entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	revenueOldID = entropydata.PowerBIAssetID(tenant.DemoDatasetRevenueOld)
)

// names expects a list of semantic models with exactly these names, in order.
func names(address string, want ...string) statecheck.StateCheck {
	return catalogtest.ExpectNames(address, "semantic_models", want...)
}

func TestAccSemanticModels_filters(t *testing.T) {
	sb := acctest.Sandbox(t)
	fx := catalogtest.Import(t, sb)
	empty := acctest.Ingest(t, sb, "No workspace has this name")
	const ds = "data.entropydata_powerbi_semantic_models."
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{catalogtest.ListStep(sb, "entropydata_powerbi_semantic_models", "semantic_models",
			[]catalogtest.ListCase{
				catalogtest.Case("integration", map[string]string{"integration": fx.Sales}, "Campaign Performance", "Customer 360", "Sales Pipeline"),
				catalogtest.Case("workspace", map[string]string{"workspace": "finance"}, "Finance KPIs", "Revenue", "Revenue (old)"),
				catalogtest.Case("workspace_guid", map[string]string{"workspace": tenant.DemoWorkspaceSalesAnalytics}, "Customer 360", "Sales Pipeline"),
				catalogtest.Case("name", map[string]string{"name": "Revenue*"}, "Revenue", "Revenue (old)", "Revenue Experiments"),
				catalogtest.Case("combined", map[string]string{"integration": fx.Finance, "workspace": "Finance", "name": "revenue*", "include_tables": "true"}, "Revenue", "Revenue (old)"),
				catalogtest.Case("disjoint", map[string]string{"integration": fx.Sales, "name": "Revenue*"}),
				catalogtest.Case("nothing_imported", map[string]string{"integration": empty}),
			},
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("ids"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(revenueID), knownvalue.StringExact(revenueOldID)})),
			statecheck.ExpectKnownValue(ds+"disjoint", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("names"), knownvalue.MapExact(map[string]knownvalue.Check{
				revenueID: knownvalue.StringExact("Revenue"), revenueOldID: knownvalue.StringExact("Revenue (old)"),
			})),
			statecheck.ExpectKnownValue(ds+"disjoint", tfjsonpath.New("names"), knownvalue.MapSizeExact(0)),
			// Every attribute of one model, down to a hidden column.
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("semantic_models").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id":             knownvalue.StringExact(revenueID),
				"powerbi_id":     knownvalue.StringExact(tenant.DemoDatasetRevenue),
				"name":           knownvalue.StringExact("Revenue"),
				"description":    knownvalue.StringExact("Certified revenue model: order lines, customers and the fiscal calendar."),
				"workspace_id":   knownvalue.StringExact(tenant.DemoWorkspaceFinance),
				"workspace_name": knownvalue.StringExact("Finance"),
				"web_url":        knownvalue.StringExact(tenant.DatasetWebURL(tenant.DemoWorkspaceFinance, tenant.DemoDatasetRevenue)),
				"integration":    knownvalue.StringExact(fx.Finance),
				"owner_team":     knownvalue.StringExact("finance"),
			})),
			// Tables are beside the list, keyed by the model's id, and only on request.
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("tables").AtMapKey(revenueID), knownvalue.ListExact([]knownvalue.Check{
				table("Calendar", "Date dimension shared by all finance models.", 4),
				table("Customers", "", 5),
				table("Sales", "One row per order line.", 8),
			})),
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("tables"), knownvalue.MapSizeExact(2)),
			statecheck.ExpectKnownValue(ds+"workspace", tfjsonpath.New("tables"), knownvalue.Null()),
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("tables").AtMapKey(revenueID).AtSliceIndex(2).AtMapKey("columns").AtSliceIndex(7),
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name":        knownvalue.StringExact("ETL Batch ID"),
					"data_type":   knownvalue.StringExact("Int64"),
					"description": knownvalue.StringExact("Load batch; technical."),
					"hidden":      knownvalue.Bool(true),
				})),
			// Power BI's automatic date table is a hidden table.
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("tables").AtMapKey(revenueOldID).AtSliceIndex(0).AtMapKey("hidden"),
				knownvalue.Bool(true)),
		)},
	})
}

func table(name, description string, columns int) knownvalue.Check {
	var desc knownvalue.Check = knownvalue.Null()
	if description != "" {
		desc = knownvalue.StringExact(description)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":          knownvalue.StringExact(entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, name)),
		"name":        knownvalue.StringExact(name),
		"description": desc,
		"hidden":      knownvalue.Bool(false),
		"columns":     knownvalue.ListSizeExact(columns),
	})
}

func TestAccSemanticModel_lookup(t *testing.T) {
	sb := acctest.Sandbox(t)
	fx := catalogtest.Import(t, sb)
	const ds = "data.entropydata_powerbi_semantic_model."
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(sb) + fmt.Sprintf(`
data "entropydata_powerbi_semantic_model" "by_name" {
  name      = "Revenue"
  workspace = "Finance"
}
data "entropydata_powerbi_semantic_model" "by_pattern" {
  name        = "revenue exp*"
  integration = %[1]q
}
data "entropydata_powerbi_semantic_model" "by_id" {
  id = data.entropydata_powerbi_semantic_model.by_name.id
}
data "entropydata_powerbi_semantic_model" "by_guid" {
  name = %[2]q
}
`, fx.Finance, tenant.DemoDatasetCustomer360),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds+"by_name", tfjsonpath.New("id"), knownvalue.StringExact(revenueID)),
				statecheck.ExpectKnownValue(ds+"by_name", tfjsonpath.New("integration"), knownvalue.StringExact(fx.Finance)),
				statecheck.ExpectKnownValue(ds+"by_name", tfjsonpath.New("tables"), knownvalue.ListSizeExact(3)),
				// name becomes the model's own name; workspace stays the filter given.
				statecheck.ExpectKnownValue(ds+"by_pattern", tfjsonpath.New("name"), knownvalue.StringExact("Revenue Experiments")),
				statecheck.ExpectKnownValue(ds+"by_pattern", tfjsonpath.New("workspace_name"), knownvalue.StringExact("Finance Sandbox")),
				statecheck.ExpectKnownValue(ds+"by_pattern", tfjsonpath.New("workspace"), knownvalue.Null()),
				statecheck.ExpectKnownValue(ds+"by_id", tfjsonpath.New("name"), knownvalue.StringExact("Revenue")),
				statecheck.ExpectKnownValue(ds+"by_id", tfjsonpath.New("workspace_id"), knownvalue.StringExact(tenant.DemoWorkspaceFinance)),
				statecheck.ExpectKnownValue(ds+"by_id", tfjsonpath.New("tables").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("Sales")),
				statecheck.CompareValuePairs(ds+"by_id", tfjsonpath.New("tables"), ds+"by_name", tfjsonpath.New("tables"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(ds+"by_guid", tfjsonpath.New("name"), knownvalue.StringExact("Customer 360")),
				statecheck.ExpectKnownValue(ds+"by_guid", tfjsonpath.New("owner_team"), knownvalue.StringExact("sales")),
			},
		}},
	})
}

func TestAccSemanticModel_errors(t *testing.T) {
	sb := acctest.Sandbox(t)
	fx := catalogtest.Import(t, sb)
	cfg := func(body string) string {
		return acctest.ProviderConfig(sb) + "data \"entropydata_powerbi_semantic_model\" \"test\" {\n" + body + "\n}\n"
	}
	reportID := entropydata.PowerBIAssetID(tenant.DemoReportRevenueByRegion)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: cfg(`name = "Revenue*"`),
				ExpectError: catalogtest.ErrorMatching("Several Power BI semantic models match",
					`3 imported Power BI semantic models match name "Revenue*":`,
					`"Revenue" in workspace "Finance", imported by "`+fx.Finance+`" (id `+revenueID+`)`,
					`"Revenue (old)"`, `"Revenue Experiments"`, "Add workspace or integration", "look the semantic model up by id"),
			},
			{
				Config: cfg(`name = "Revnue"` + "\n" + `workspace = "Finance"`),
				ExpectError: catalogtest.ErrorMatching("No matching Power BI semantic model",
					`No imported Power BI semantic model matches name "Revnue", workspace "Finance".`,
					`"Revnue*" also finds the names that start with "Revnue"`, "Remove workspace or integration",
					"The entropydata_powerbi_semantic_models data source lists what has been imported"),
			},
			{
				Config: cfg(`name = "Revenue"` + "\n" + `integration = "no-such-integration"`),
				ExpectError: catalogtest.ErrorMatching("No matching Power BI semantic model",
					`Entropy Data has no integration with external id "no-such-integration"`),
			},
			{
				Config: cfg(fmt.Sprintf("id = %q", reportID)),
				ExpectError: catalogtest.ErrorMatching("Not a Power BI semantic model",
					`The asset "`+reportID+`" is a Power BI report, not a Power BI semantic model.`,
					"Use the entropydata_powerbi_report data source for it."),
			},
			{
				Config:      cfg(`id = "powerbi-no-such-model"`),
				ExpectError: catalogtest.ErrorMatching("No such asset", `Entropy Data has no asset with id "powerbi-no-such-model"`),
			},
			{
				Config:      cfg(fmt.Sprintf("id = %q\nname = \"Revenue\"", revenueID)),
				ExpectError: catalogtest.ErrorMatching("Invalid Attribute Combination", "Exactly one of these attributes must be configured: [id,name]"),
			},
			{
				Config:      cfg(""),
				ExpectError: catalogtest.ErrorMatching("Missing Attribute Configuration", "Exactly one of these attributes must be configured: [id,name]"),
			},
			{
				Config:      cfg(fmt.Sprintf("id = %q\nworkspace = \"Finance\"", revenueID)),
				ExpectError: catalogtest.ErrorMatching("Invalid Attribute Combination", "cannot be configured together"),
			},
			{
				Config:      cfg(`name = " Revenue"`),
				ExpectError: catalogtest.ErrorMatching("Invalid filter pattern", "starts with whitespace"),
			},
		},
	})
}

// An integration and the data source can be in one configuration: with
// run_on_apply the data source is read after the import. Once it exists,
// its ids feed for_each.
func TestAccSemanticModels_runOnApplyAndForEach(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Unique("supply")
	inventory := entropydata.PowerBIAssetID(tenant.DemoDatasetInventory)
	config := acctest.ProviderConfig(sb) + fmt.Sprintf(`
resource "entropydata_powerbi_integration" "supply" {
  external_id  = %q
  name         = "Supply chain %[1]s"
  run_on_apply = true
  credentials = {
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = %q
    client_secret_wo_version = 1
  }
  filters  = { workspaces = { include = ["Supply Chain"] } }
  schedule = { preset = "manual" }
}

data "entropydata_powerbi_semantic_models" "supply" {
  integration    = entropydata_powerbi_integration.supply.external_id
  include_tables = true
  depends_on     = [entropydata_powerbi_integration.supply]
}
`, id, acctest.TenantID, acctest.ClientID, acctest.ClientSecret)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}, // client_secret_wo
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					names("data.entropydata_powerbi_semantic_models.supply", "Inventory"),
				},
			},
			{
				Config: config + `
resource "terraform_data" "model" {
  for_each = toset(data.entropydata_powerbi_semantic_models.supply.ids)
  input    = length(data.entropydata_powerbi_semantic_models.supply.tables[each.key])
}

output "tables_per_model" {
  value = { for id, m in terraform_data.model : id => m.output }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("tables_per_model", knownvalue.MapExact(map[string]knownvalue.Check{
						inventory: knownvalue.Int64Exact(3),
					})),
				},
			},
			// terraform-plugin-testing cannot read for_each instances back
			// when it cleans up, so they go before the test ends.
			{Config: config},
		},
	})
}
