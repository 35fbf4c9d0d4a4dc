package report_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog/catalogtest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var (
	revenueModelID = entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	byRegionID     = entropydata.PowerBIAssetID(tenant.DemoReportRevenueByRegion)
)

// names expects a list of reports with exactly these names, in order.
func TestAccReports_filters(t *testing.T) {
	sb := acctest.Sandbox(t)
	fx := catalogtest.Import(t, sb)
	empty := acctest.Ingest(t, sb, "No workspace has this name")
	const ds = "data.entropydata_powerbi_reports."
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{catalogtest.ListStep(sb, "entropydata_powerbi_reports", "reports",
			[]catalogtest.ListCase{
				catalogtest.Case("integration", map[string]string{"integration": fx.Finance}, "Finance KPIs", "Monthly Close Pack", "Revenue Overview", "Revenue Overview (old)", "Revenue What-If"),
				catalogtest.Case("workspace", map[string]string{"workspace": "MARKETING"}, "Campaign Performance", "Campaign ROI"),
				catalogtest.Case("workspace_guid", map[string]string{"workspace": tenant.DemoWorkspaceFinanceSandbox}, "Revenue What-If"),
				catalogtest.Case("name", map[string]string{"name": "Revenue*"}, "Revenue Overview", "Revenue Overview (old)", "Revenue What-If", "Revenue by Region"),
				catalogtest.Case("combined", map[string]string{"integration": fx.Sales, "workspace": "Sales*", "name": "*revenue*"}, "Revenue by Region"),
				catalogtest.Case("disjoint", map[string]string{"integration": fx.Finance, "workspace": "Marketing"}),
				catalogtest.Case("nothing_imported", map[string]string{"integration": empty}),
			},
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(byRegionID)})),
			statecheck.ExpectKnownValue(ds+"disjoint", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("names"),
				knownvalue.MapExact(map[string]knownvalue.Check{byRegionID: knownvalue.StringExact("Revenue by Region")})),
			// The cross-workspace link: a report in Sales Analytics on the model in Finance,
			// which the other integration imported.
			statecheck.ExpectKnownValue(ds+"combined", tfjsonpath.New("reports").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id":                  knownvalue.StringExact(byRegionID),
				"powerbi_id":          knownvalue.StringExact(tenant.DemoReportRevenueByRegion),
				"name":                knownvalue.StringExact("Revenue by Region"),
				"description":         knownvalue.StringExact("Built on the certified Revenue model in Finance."),
				"workspace_id":        knownvalue.StringExact(tenant.DemoWorkspaceSalesAnalytics),
				"workspace_name":      knownvalue.StringExact("Sales Analytics"),
				"web_url":             knownvalue.StringExact("https://app.powerbi.com/groups/" + tenant.DemoWorkspaceSalesAnalytics + "/reports/" + tenant.DemoReportRevenueByRegion),
				"integration":         knownvalue.StringExact(fx.Sales),
				"owner_team":          knownvalue.StringExact("sales"),
				"report_type":         knownvalue.StringExact("PowerBIReport"),
				"semantic_model_id":   knownvalue.StringExact(revenueModelID),
				"semantic_model_name": knownvalue.StringExact("Revenue"),
			})),
			// A paginated report has no model.
			statecheck.ExpectKnownValue(ds+"integration", tfjsonpath.New("reports").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"name":                knownvalue.StringExact("Monthly Close Pack"),
				"report_type":         knownvalue.StringExact("PaginatedReport"),
				"semantic_model_id":   knownvalue.Null(),
				"semantic_model_name": knownvalue.Null(),
			})),
		)},
	})
}

// A report's semantic_model_id leads to the model, in its own workspace.
func TestAccReport_crossWorkspaceModel(t *testing.T) {
	sb := acctest.Sandbox(t)
	fx := catalogtest.Import(t, sb)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(sb) + `
data "entropydata_powerbi_report" "by_region" {
  name      = "revenue by region"
  workspace = "Sales Analytics"
}
data "entropydata_powerbi_semantic_model" "used" {
  id = data.entropydata_powerbi_report.by_region.semantic_model_id
}
data "entropydata_powerbi_report" "by_id" {
  id = "` + byRegionID + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entropydata_powerbi_report.by_region", tfjsonpath.New("id"), knownvalue.StringExact(byRegionID)),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_report.by_region", tfjsonpath.New("name"), knownvalue.StringExact("Revenue by Region")),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_report.by_region", tfjsonpath.New("semantic_model_name"), knownvalue.StringExact("Revenue")),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_semantic_model.used", tfjsonpath.New("name"), knownvalue.StringExact("Revenue")),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_semantic_model.used", tfjsonpath.New("workspace_name"), knownvalue.StringExact("Finance")),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_semantic_model.used", tfjsonpath.New("integration"), knownvalue.StringExact(fx.Finance)),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_report.by_id", tfjsonpath.New("semantic_model_id"), knownvalue.StringExact(revenueModelID)),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_report.by_id", tfjsonpath.New("semantic_model_name"), knownvalue.StringExact("Revenue")),
				statecheck.ExpectKnownValue("data.entropydata_powerbi_report.by_id", tfjsonpath.New("workspace_id"), knownvalue.StringExact(tenant.DemoWorkspaceSalesAnalytics)),
			},
		}},
	})
}

func TestAccReport_errors(t *testing.T) {
	sb := acctest.Sandbox(t)
	fx := catalogtest.Import(t, sb)
	cfg := func(body string) string {
		return acctest.ProviderConfig(sb) + "data \"entropydata_powerbi_report\" \"test\" {\n" + body + "\n}\n"
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: cfg(`name = "Campaign*"`),
				ExpectError: catalogtest.ErrorMatching("Several Power BI reports match",
					`2 imported Power BI reports match name "Campaign*":`,
					`"Campaign Performance" in workspace "Marketing", imported by "`+fx.Sales+`"`, `"Campaign ROI"`,
					"Add workspace or integration", "look the report up by id", "entropydata_powerbi_reports data source"),
			},
			{
				Config: cfg(fmt.Sprintf("name = \"Campaign*\"\nintegration = %q", fx.Finance)),
				ExpectError: catalogtest.ErrorMatching("No matching Power BI report",
					`No imported Power BI report matches name "Campaign*", integration "`+fx.Finance+`".`,
					"Remove workspace or integration"),
			},
			{
				Config: cfg(fmt.Sprintf("id = %q", revenueModelID)),
				ExpectError: catalogtest.ErrorMatching("Not a Power BI report",
					`The asset "`+revenueModelID+`" is a Power BI semantic model, not a Power BI report.`,
					"Use the entropydata_powerbi_semantic_model data source for it."),
			},
			{
				Config:      cfg(fmt.Sprintf("id = %q", entropydata.PowerBIAssetID(tenant.DemoWorkspaceFinance))),
				ExpectError: catalogtest.ErrorMatching("Not a Power BI report", "is a Power BI workspace, not a Power BI report."),
			},
			{
				Config:      cfg(fmt.Sprintf("id = %q\nintegration = %q", byRegionID, fx.Sales)),
				ExpectError: catalogtest.ErrorMatching("Invalid Attribute Combination", "cannot be configured together"),
			},
			{
				Config:      cfg(`workspace = "http://app.powerbi.com/groups/x"` + "\nname = \"x\""),
				ExpectError: catalogtest.ErrorMatching("Invalid filter pattern", "looks like a URL"),
			},
		},
	})
}
