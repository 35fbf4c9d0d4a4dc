package dataproduct_test

import (
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

// terraform query lists the Power BI data products, filtered by type, owner
// team and id or title patterns, each with its identity and the attributes
// an import reads. (Generating and applying configuration from the results is
// in internal/e2e: TestQueryGeneratesImportableConfig.)
func TestAccDataProduct_list(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance", "Sales Analytics")

	setup := acctest.ProviderConfig(sb) +
		dataProductHCL("model", "lq-revenue", "semantic_model", revenueModel, `
  title      = "Revenue Model"
  owner_team = "finance"
  tags       = ["revenue"]
`) + dataProductHCL("overview", "lq-overview", "report", revenueOverview, `
  title      = "Revenue Overview"
  owner_team = "finance"
  depends_on = [entropydata_powerbi_data_product.model]
`) + dataProductHCL("region", "lq-region", "report", revenueByRegion, `
  title      = "Revenue by Region"
  owner_team = "sales"
  depends_on = [entropydata_powerbi_data_product.model]
`)
	list := func(name, config string) string {
		return acctest.ListBlock("entropydata_powerbi_data_product", name, config)
	}
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{Config: setup},
			{
				Query: true,
				// The provider block is in the configuration of the first step.
				Config: list("all", "") +
					list("reports", `type = "report"`) +
					list("finance", `owner_team = "finance"`) +
					list("overview", `title = "*overview"`) +
					list("by_id", `id = "LQ-REV*"`) +
					list("none", `owner_team = "marketing"`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("entropydata_powerbi_data_product.all", 3),
					querycheck.ExpectLength("entropydata_powerbi_data_product.reports", 2),
					querycheck.ExpectLength("entropydata_powerbi_data_product.finance", 2),
					querycheck.ExpectLength("entropydata_powerbi_data_product.overview", 1),
					querycheck.ExpectIdentity("entropydata_powerbi_data_product.overview", map[string]knownvalue.Check{
						"id": knownvalue.StringExact("lq-overview"),
					}),
					querycheck.ExpectLength("entropydata_powerbi_data_product.by_id", 1),
					querycheck.ExpectIdentity("entropydata_powerbi_data_product.by_id", map[string]knownvalue.Check{
						"id": knownvalue.StringExact("lq-revenue"),
					}),
					querycheck.ExpectLength("entropydata_powerbi_data_product.none", 0),
					querycheck.ExpectResourceDisplayName("entropydata_powerbi_data_product.all", byID("lq-region"),
						knownvalue.StringExact("Revenue by Region")),
					querycheck.ExpectResourceKnownValues("entropydata_powerbi_data_product.all", byID("lq-revenue"),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("type"), KnownValue: knownvalue.StringExact("semantic_model")},
							{Path: tfjsonpath.New("asset_id"), KnownValue: knownvalue.StringExact(revenueModel)},
							{Path: tfjsonpath.New("owner_team"), KnownValue: knownvalue.StringExact("finance")},
							{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("revenue")})},
						}),
				},
			},
		},
	})
}
