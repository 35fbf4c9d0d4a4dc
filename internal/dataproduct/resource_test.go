package dataproduct_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
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

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Asset ids of the demo tenant's objects, as an ingestion imports them.
var (
	revenueModel      = entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	revenueOverview   = entropydata.PowerBIAssetID(tenant.DemoReportRevenueOverview)
	revenueByRegion   = entropydata.PowerBIAssetID(tenant.DemoReportRevenueByRegion)
	monthlyClosePack  = entropydata.PowerBIAssetID(tenant.DemoReportMonthlyClosePack) // paginated, no model
	financeKPIsReport = entropydata.PowerBIAssetID(tenant.DemoReportFinanceKPIs)
)

// The Revenue model's tables (sorted by name, the order of the stored port's
// table references) and the Sales table's columns with their Power BI data
// types, as in the fixture (internal/sandbox/tenant/default.json).
var (
	revenueTables = []string{"Calendar", "Customers", "Sales"}
	salesColumns  = map[string]string{
		"Order ID": "String", "Order Date": "DateTime", "Customer ID": "String", "Quantity": "Int64",
		"Net Amount": "Decimal", "Discount Rate": "Double", "Is Returned": "Boolean", "ETL Batch ID": "Int64",
	}
)

const portID = "semantic-model"

// Paths into output_port: the tables map, and one table's columns map.
var portTables = tfjsonpath.New("output_port").AtMapKey("tables")

func portColumns(table string) tfjsonpath.Path {
	return portTables.AtMapKey(table).AtMapKey("columns")
}

func addr(name string) string { return "entropydata_powerbi_data_product." + name }

// dataProductHCL renders one data product resource named name.
func dataProductHCL(name, id, typ, assetID, body string) string {
	return fmt.Sprintf(`
resource "entropydata_powerbi_data_product" %q {
  id       = %q
  type     = %q
  asset_id = %q
  %s
}
`, name, id, typ, assetID, body)
}

func strs(values ...string) []knownvalue.Check {
	out := make([]knownvalue.Check, len(values))
	for i, v := range values {
		out[i] = knownvalue.StringExact(v)
	}
	return out
}

// stored decodes what the sandbox holds for a data product.
func stored(t *testing.T, sb *sandbox.Sandbox, id string) (entropydata.DataProduct, bool) {
	t.Helper()
	body, ok := sb.API.DataProductJSON(id)
	if !ok {
		return entropydata.DataProduct{}, false
	}
	var dp entropydata.DataProduct
	if err := json.Unmarshal(body, &dp); err != nil {
		t.Fatalf("stored data product %s: %v", id, err)
	}
	return dp, true
}

// accessesOf returns the sandbox's accesses with this consumer data product.
func accessesOf(sb *sandbox.Sandbox, consumer string) []entropyapi.Access {
	var out []entropyapi.Access
	for _, a := range sb.API.Accesses() {
		if a.Consumer.DataProductID == consumer {
			out = append(out, a)
		}
	}
	return out
}

// liveAccess finds the consumer's access to the port that is requested, or approved and not ended.
func liveAccess(sb *sandbox.Sandbox, consumer, provider, port string) (entropyapi.Access, bool) {
	today := time.Now().UTC().Format(time.DateOnly)
	for _, a := range accessesOf(sb, consumer) {
		if a.Provider.DataProductID == provider && a.Provider.OutputPortID == port &&
			(a.Info.Status == "requested" || (a.Info.Status == "approved" && (a.Info.EndDate == "" || a.Info.EndDate > today))) {
			return a, true
		}
	}
	return entropyapi.Access{}, false
}

// noLiveAccesses checks that nothing the consumer used is still live (the
// destroy canceled approved agreements and withdrew requests).
func noLiveAccesses(sb *sandbox.Sandbox, consumers ...string) error {
	today := time.Now().UTC().Format(time.DateOnly)
	for _, c := range consumers {
		for _, a := range accessesOf(sb, c) {
			if a.Info.Status == "requested" || (a.Info.Status == "approved" && (a.Info.EndDate == "" || a.Info.EndDate > today)) {
				return fmt.Errorf("access %s of %s is still live: %+v", a.ID, c, a.Info)
			}
		}
	}
	return nil
}

func checkDestroyed(sb *sandbox.Sandbox, ids ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range ids {
			if _, ok := sb.API.DataProductJSON(id); ok {
				return fmt.Errorf("data product %s still exists after destroy", id)
			}
		}
		return noLiveAccesses(sb, ids...)
	}
}

// reingest runs the integration again (after a change in the tenant) and waits for it.
func reingest(t *testing.T, sb *sandbox.Sandbox, integration string, workspaces ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := sb.Ingest(ctx, integration, "finance", powerbi.Filters{Workspaces: powerbi.Filter{Include: workspaces}}); err != nil {
		t.Fatalf("re-ingest: %v", err)
	}
}

// teamProviderConfig is the provider block with the finance team's key instead of the organization key.
func teamProviderConfig(sb *sandbox.Sandbox) string {
	return strings.Replace(acctest.ProviderConfig(sb), fmt.Sprintf("%q", sb.APIKey), fmt.Sprintf("%q", sb.TeamAPIKey), 1)
}

// A semantic model data product: created with its output port from the
// imported model and lineage to a source product, updated, imported,
// corrected after edits in the UI, and recreated after a deletion.
func TestAccDataProduct_semanticModel(t *testing.T) {
	sb := acctest.Sandbox(t)
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("revenue")
	res := addr("model")

	created := acctest.ProviderConfig(sb) + dataProductHCL("model", id, "semantic_model", revenueModel, `
  title           = "Revenue Model"
  description     = "Revenue by order, customer and day."
  owner_team      = "finance"
  classification  = "business"
  confidentiality = "internal"
  tags            = ["finance", "revenue"]
  custom          = { costCenter = "4711" }
  upstream        = [{ data_product_id = "snowflake-orders", output_port_id = "orders" }]
`)
	updated := acctest.ProviderConfig(sb) + dataProductHCL("model", id, "semantic_model", revenueModel, `
  title           = "Revenue"
  owner_team      = "finance"
  status          = "deprecated"
  confidentiality = "confidential"
  tags            = ["revenue"]
  upstream        = [{ data_product_id = "databricks-customers", output_port_id = "customers" }]
`)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, id),
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
						// The reviewer sees the port, its tables and columns before applying.
						plancheck.ExpectKnownValue(res, tfjsonpath.New("output_port").AtMapKey("id"), knownvalue.StringExact(portID)),
						plancheck.ExpectKnownValue(res, portColumns("Sales").AtMapKey("Net Amount"), knownvalue.StringExact("Decimal")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("output_port").AtMapKey("name"), knownvalue.StringExact("Revenue")),
					// Exactly the model's tables, by name, each with its table asset id.
					statecheck.ExpectKnownValue(res, portTables, knownvalue.MapExact(tableIDs(revenueTables...))),
					statecheck.ExpectKnownValue(res, portTables.AtMapKey("Sales"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.StringExact(entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, "Sales")),
						"description": knownvalue.StringExact("One row per order line."),
						"hidden":      knownvalue.Bool(false),
						// Every column, hidden ones too, with its data type.
						"columns": knownvalue.MapExact(dataTypes(salesColumns)),
					})),
					statecheck.ExpectKnownValue(res, portColumns("Sales").AtMapKey("ETL Batch ID"), knownvalue.StringExact("Int64")),
					statecheck.ExpectKnownValue(res, portTables.AtMapKey("Customers").AtMapKey("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, portTables.AtMapKey("Calendar").AtMapKey("description"),
						knownvalue.StringExact("Date dimension shared by all finance models.")),
					statecheck.ExpectKnownValue(res, portColumns("Customers"), knownvalue.MapSizeExact(5)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("upstream"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"data_product_id": knownvalue.StringExact("snowflake-orders"), "output_port_id": knownvalue.StringExact("orders"),
							"status": knownvalue.StringExact("approved"), "access_id": knownvalue.NotNull(),
						}),
					})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("quality").AtMapKey("score"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("quality").AtMapKey("test_results"), knownvalue.ListSizeExact(0)),
				},
				Check: func(*terraform.State) error {
					dp, ok := stored(t, sb, id)
					if !ok {
						return fmt.Errorf("data product %s not in the sandbox", id)
					}
					port := dp.OutputPorts
					switch {
					case dp.Info.Archetype != "powerbi-semantic-model" || dp.Info.Owner != "finance" || dp.Info.Status != "active":
						return fmt.Errorf("stored info %+v", dp.Info)
					case dp.Custom["classification"] != "business" || dp.Custom["confidentiality"] != "internal" || dp.Custom["costCenter"] != "4711":
						return fmt.Errorf("stored custom %v", dp.Custom)
					case len(dp.Assets) != 1 || dp.Assets[0].AssetID != revenueModel:
						return fmt.Errorf("stored top-level assets %+v", dp.Assets)
					case len(port) != 1 || port[0].ID != portID || port[0].Type != "powerbi" || len(port[0].Assets) != 4 || port[0].Assets[0].AssetID != revenueModel:
						return fmt.Errorf("stored output ports %+v", port)
					}
					for i, table := range revenueTables {
						if want := entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, table); port[0].Assets[i+1].AssetID != want {
							return fmt.Errorf("port asset %d is %s, want %s", i+1, port[0].Assets[i+1].AssetID, want)
						}
					}
					a, ok := liveAccess(sb, id, "snowflake-orders", "orders")
					if !ok || a.Info.Status != "approved" || !a.Info.Active || !strings.Contains(a.Info.Purpose, "Terraform") {
						return fmt.Errorf("no approved access to snowflake-orders/orders: %+v", accessesOf(sb, id))
					}
					return nil
				},
			},
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("classification"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("custom"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.SetExact(strs("revenue"))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("data_product_id"), knownvalue.StringExact("databricks-customers")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("approved")),
				},
				Check: func(*terraform.State) error {
					dp, _ := stored(t, sb, id)
					if dp.Info.Title != "Revenue" || dp.Info.Status != "deprecated" || dp.Info.Description != "" ||
						len(dp.Custom) != 1 || dp.Custom["confidentiality"] != "confidential" {
						return fmt.Errorf("update not stored: %+v %v", dp.Info, dp.Custom)
					}
					// The removed link's agreement is canceled (it ends today), the new one approved.
					if _, ok := liveAccess(sb, id, "snowflake-orders", "orders"); ok {
						return fmt.Errorf("the agreement with snowflake-orders was not canceled")
					}
					for _, a := range accessesOf(sb, id) {
						if a.Provider.DataProductID == "snowflake-orders" && (a.Info.EndDate == "" || a.Info.Active) {
							return fmt.Errorf("canceled agreement has no end date or is active: %+v", a.Info)
						}
					}
					if a, ok := liveAccess(sb, id, "databricks-customers", "customers"); !ok || a.Info.Status != "approved" {
						return fmt.Errorf("no approved agreement with databricks-customers: %+v", accessesOf(sb, id))
					}
					return nil
				},
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			{
				// Quality comes from the API on refresh and never causes a change.
				PreConfig: func() {
					now := time.Now().UTC()
					if err := sb.API.AddTestResult(entropyapi.TestResult{
						ID: acctest.Unique("run"), DataContractID: "revenue-contract", DataContractVersion: "1.0.0",
						Server: id + "/" + portID, TimestampStart: now.Add(-time.Minute), TimestampEnd: now, Result: "failed",
						Checks: []entropyapi.TestCheck{
							{Type: "schema", Result: "passed"}, {Type: "schema", Result: "passed"},
							{Type: "quality", Result: "passed"}, {Type: "quality", Result: "failed"},
						},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("quality").AtMapKey("score"), knownvalue.Float64Exact(75)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("quality").AtMapKey("test_results"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"output_port_id": knownvalue.StringExact(portID), "result": knownvalue.StringExact("failed"),
							"checks_passed": knownvalue.Int64Exact(3), "checks_failed": knownvalue.Int64Exact(1), "checks_total": knownvalue.Int64Exact(4),
							"tested_at": knownvalue.NotNull(),
						}),
					})),
				},
			},
			{
				// Edits in the UI of managed fields show as drift, and the apply restores the code's version.
				PreConfig: func() {
					editStored(t, sb, id, func(m map[string]any) {
						info := m["info"].(map[string]any)
						info["title"] = "Renamed in the UI"
						info["status"] = "active"
						m["tags"] = []any{"revenue", "ui"}
						m["custom"] = map[string]any{"confidentiality": "public", "addedInUI": "x"}
					})
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(res, tfjsonpath.New("title"), knownvalue.StringExact("Revenue")),
						plancheck.ExpectKnownValue(res, tfjsonpath.New("custom"), knownvalue.Null()),
					},
				},
				Check: func(*terraform.State) error {
					dp, _ := stored(t, sb, id)
					// A custom key the configuration does not list is not managed: it stays.
					if dp.Info.Title != "Revenue" || dp.Info.Status != "deprecated" || len(dp.Tags) != 1 || dp.Custom["confidentiality"] != "confidential" ||
						dp.Custom["addedInUI"] != "x" || len(dp.Custom) != 2 {
						return fmt.Errorf("drift not corrected: %+v %v %v", dp.Info, dp.Tags, dp.Custom)
					}
					return nil
				},
			},
			{
				// A port edited in the UI (a table reference removed) is drift too.
				PreConfig: func() {
					editStored(t, sb, id, func(m map[string]any) {
						port := m["outputPorts"].([]any)[0].(map[string]any)
						assets := port["assets"].([]any)
						port["assets"] = assets[:len(assets)-1]
					})
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(res, portTables, knownvalue.MapExact(tableIDs(revenueTables...))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if dp, _ := stored(t, sb, id); len(dp.OutputPorts) != 1 || len(dp.OutputPorts[0].Assets) != 4 {
						return fmt.Errorf("port not restored: %+v", dp.OutputPorts)
					}
					return nil
				},
			},
			{
				// Deleted outside Terraform: the refresh drops it, the plan creates it again.
				PreConfig: func() {
					if err := sb.API.DeleteDataProduct(id); err != nil {
						t.Fatal(err)
					}
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// words matches the phrases in order, whatever line breaks Terraform puts between their words.
func words(phrases ...string) string {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return "(?s)" + strings.Join(quoted, ".*")
}

// tableIDs expects the Revenue model's tables of these names, each with its table asset id.
func tableIDs(names ...string) map[string]knownvalue.Check {
	out := make(map[string]knownvalue.Check, len(names))
	for _, n := range names {
		out[n] = knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, n)),
		})
	}
	return out
}

// dataTypes expects a columns map: column name -> data type.
func dataTypes(columns map[string]string) map[string]knownvalue.Check {
	out := make(map[string]knownvalue.Check, len(columns))
	for name, typ := range columns {
		out[name] = knownvalue.StringExact(typ)
	}
	return out
}

// withColumns is columns with the added ones (name -> type) and without the dropped ones.
func withColumns(columns map[string]string, added map[string]string, dropped ...string) map[string]string {
	out := maps.Clone(columns)
	maps.Copy(out, added)
	for _, d := range dropped {
		delete(out, d)
	}
	return out
}

// editStored changes the stored data product the way an edit in the UI would.
func editStored(t *testing.T, sb *sandbox.Sandbox, id string, edit func(map[string]any)) {
	t.Helper()
	body, ok := sb.API.DataProductJSON(id)
	if !ok {
		t.Fatalf("data product %s not in the sandbox", id)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	body, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.API.PutDataProductJSON(id, body); err != nil {
		t.Fatal(err)
	}
}

// A report data product is a data consumer: no output port, and no
// automatic link when its report has no semantic model.
func TestAccDataProduct_report(t *testing.T) {
	sb := acctest.Sandbox(t)
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("close-pack")
	res := addr("report")
	cfg := func(title string) string {
		return acctest.ProviderConfig(sb) + dataProductHCL("report", id, "report", monthlyClosePack, fmt.Sprintf(`
  title      = %q
  owner_team = "finance"
  status     = "in development"
`, title))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, id),
		Steps: []resource.TestStep{
			{
				Config: cfg("Monthly Close Pack"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(res, tfjsonpath.New("output_port"), knownvalue.Null()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("upstream"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("output_port"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("tags"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					dp, ok := stored(t, sb, id)
					if !ok || dp.Info.Archetype != "powerbi-report" || len(dp.OutputPorts) != 0 || len(dp.Assets) != 1 || dp.Assets[0].AssetID != monthlyClosePack {
						return fmt.Errorf("stored %+v", dp)
					}
					return nil
				},
			},
			{
				Config: cfg("Monthly Close"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
		},
	})
}

// The lineage of the design: source -> semantic model -> two reports, one
// linked explicitly, one automatically; destroyed in dependency order.
func TestAccDataProduct_lineage(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance", "Sales Analytics")
	model, overview, byRegion := "revenue-model", "revenue-overview", "revenue-by-region"

	cfg := acctest.ProviderConfig(sb) +
		dataProductHCL("model", model, "semantic_model", revenueModel, `
  title      = "Revenue Model"
  owner_team = "finance"
  upstream   = [{ data_product_id = "snowflake-orders", output_port_id = "orders" }]
`) + dataProductHCL("overview", overview, "report", revenueOverview, `
  title      = "Revenue Overview"
  owner_team = "finance"
  upstream = [{
    data_product_id = entropydata_powerbi_data_product.model.id
    output_port_id  = entropydata_powerbi_data_product.model.output_port.id
  }]
`) + dataProductHCL("by_region", byRegion, "report", revenueByRegion, `
  title      = "Revenue by Region"
  owner_team = "sales"
  depends_on = [entropydata_powerbi_data_product.model]
`)
	linked := knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"data_product_id": knownvalue.StringExact(model), "output_port_id": knownvalue.StringExact(portID),
		"status": knownvalue.StringExact("approved"),
	})})

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, model, overview, byRegion),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						// The port id is known before the model's product exists, so references to it plan.
						plancheck.ExpectKnownValue(addr("overview"), tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("output_port_id"), knownvalue.StringExact(portID)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr("overview"), tfjsonpath.New("upstream"), linked),
					statecheck.ExpectKnownValue(addr("by_region"), tfjsonpath.New("upstream"), linked),
				},
				Check: func(*terraform.State) error {
					for _, consumer := range []string{overview, byRegion} {
						if a, ok := liveAccess(sb, consumer, model, portID); !ok || a.Info.Status != "approved" {
							return fmt.Errorf("%s has no approved agreement with the model: %+v", consumer, accessesOf(sb, consumer))
						}
					}
					if _, ok := liveAccess(sb, model, "snowflake-orders", "orders"); !ok {
						return fmt.Errorf("the model has no agreement with its source")
					}
					return nil
				},
			},
			{
				ResourceName:      addr("by_region"),
				ImportState:       true,
				ImportStateId:     byRegion,
				ImportStateVerify: true,
			},
			{
				ResourceName:      addr("model"),
				ImportState:       true,
				ImportStateId:     model,
				ImportStateVerify: true,
			},
		},
	})
}

// An automatic link appears in the plan once the model's data product
// exists; the model cannot be destroyed while a report still uses it, and
// the error says what to do.
func TestAccDataProduct_autoLinkAndDestroyOrder(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance")
	model, report := "kpi-model", "kpi-report"
	modelHCL := dataProductHCL("model", model, "semantic_model", entropydata.PowerBIAssetID(tenant.DemoDatasetFinanceKPIs), `
  title      = "Finance KPIs"
  owner_team = "finance"
`)
	reportHCL := func(upstream string) string {
		return dataProductHCL("report", report, "report", financeKPIsReport, `
  title      = "Finance KPIs Report"
  owner_team = "finance"
  `+upstream)
	}
	p := acctest.ProviderConfig(sb)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, model, report),
		Steps: []resource.TestStep{
			{Config: p + modelHCL},
			{
				Config: p + modelHCL + reportHCL(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(addr("report"), tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("data_product_id"), knownvalue.StringExact(model)),
						plancheck.ExpectKnownValue(addr("report"), tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("output_port_id"), knownvalue.StringExact(portID)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr("report"), tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("approved")),
				},
			},
			{
				// The model goes, the report stays linked: the API refuses, and the error explains.
				Config:      p + reportHCL(""),
				ExpectError: regexp.MustCompile(`(?s)Data product is still in use.*data product ` + report + `.*depends_on`),
			},
			{
				// Disconnecting the report (an explicit empty upstream overrides the automatic link) cancels its agreement.
				Config: p + modelHCL + reportHCL("upstream = []"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr("report"), plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr("report"), tfjsonpath.New("upstream"), knownvalue.ListSizeExact(0)),
					},
				},
				Check: func(*terraform.State) error { return noLiveAccesses(sb, report) },
			},
			{
				// Now the model can go.
				Config: p + reportHCL("upstream = []"),
				Check: func(*terraform.State) error {
					if _, ok := sb.API.DataProductJSON(model); ok {
						return fmt.Errorf("model data product still exists")
					}
					return nil
				},
			},
		},
	})
}

// After an ingestion that changes the model, the next plan shows the new
// output port as an update.
func TestAccDataProduct_modelChange(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	integ := acctest.Ingest(t, sb, "Finance")
	id := "revenue"
	res := addr("model")
	cfg := acctest.ProviderConfig(sb) + dataProductHCL("model", id, "semantic_model", revenueModel, `
  title      = "Revenue"
  owner_team = "finance"
`)
	sales := portColumns("Sales")
	withMargin := withColumns(salesColumns, map[string]string{"Margin": "Decimal"})
	withoutDiscount := withColumns(withMargin, nil, "Discount Rate")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, id),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, sales, knownvalue.MapExact(dataTypes(salesColumns))),
				},
			},
			{
				PreConfig: func() {
					if err := sb.Tenant.AddColumn(tenant.DemoDatasetRevenue, "Sales", tenant.Column{Name: "Margin", DataType: "Decimal", Description: "Net amount minus cost."}); err != nil {
						t.Fatal(err)
					}
					reingest(t, sb, integ, "Finance")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						// The columns map gains the new column's key, with its data type.
						plancheck.ExpectKnownValue(res, sales.AtMapKey("Margin"), knownvalue.StringExact("Decimal")),
						plancheck.ExpectKnownValue(res, sales, knownvalue.MapExact(dataTypes(withMargin))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, sales, knownvalue.MapExact(dataTypes(withMargin))),
				},
			},
			{
				PreConfig: func() {
					if err := sb.Tenant.DropColumn(tenant.DemoDatasetRevenue, "Sales", "Discount Rate"); err != nil {
						t.Fatal(err)
					}
					reingest(t, sb, integ, "Finance")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						// The columns map loses the dropped column's key.
						plancheck.ExpectKnownValue(res, sales, knownvalue.MapExact(dataTypes(withoutDiscount))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// A new table reaches the stored port's asset references.
				PreConfig: func() {
					if err := sb.Tenant.AddTable(tenant.DemoDatasetRevenue, tenant.Table{Name: "Regions", Columns: []tenant.Column{{Name: "Region", DataType: "String"}}}); err != nil {
						t.Fatal(err)
					}
					reingest(t, sb, integ, "Finance")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(res, portTables, knownvalue.MapExact(tableIDs("Calendar", "Customers", "Regions", "Sales"))),
						plancheck.ExpectKnownValue(res, portTables.AtMapKey("Regions"), knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":          knownvalue.StringExact(entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, "Regions")),
							"description": knownvalue.Null(),
							"hidden":      knownvalue.Bool(false),
							"columns":     knownvalue.MapExact(map[string]knownvalue.Check{"Region": knownvalue.StringExact("String")}),
						})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					dp, _ := stored(t, sb, id)
					want := entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, "Regions")
					if len(dp.OutputPorts) != 1 || !slices.ContainsFunc(dp.OutputPorts[0].Assets, func(r entropydata.AssetRef) bool { return r.AssetID == want }) {
						return fmt.Errorf("the port does not reference the new table: %+v", dp.OutputPorts)
					}
					return nil
				},
			},
		},
	})
}

// With a team key, an agreement with another team's product stays
// requested (the warning is checked in lineage_test.go).
func TestAccDataProduct_teamKeyLeavesRequest(t *testing.T) {
	sb := acctest.Sandbox(t)
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("team-report")
	res := addr("report")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, id),
		Steps: []resource.TestStep{
			{
				Config: teamProviderConfig(sb) + dataProductHCL("report", id, "report", monthlyClosePack, `
  title      = "Close Pack"
  owner_team = "finance"
  upstream   = [{ data_product_id = "snowflake-orders", output_port_id = "orders" }]
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("requested")),
				},
				Check: func(*terraform.State) error {
					a, ok := liveAccess(sb, id, "snowflake-orders", "orders")
					if !ok || a.Info.Status != "requested" || a.Provider.TeamID != "data-platform" {
						return fmt.Errorf("want a requested agreement with data-platform's product: %+v", accessesOf(sb, id))
					}
					return nil
				},
			},
		},
	})
}

// Each bad input gets its own error, at plan time where it can be known.
func TestAccDataProduct_badInput(t *testing.T) {
	sb := acctest.Sandbox(t)
	acctest.Ingest(t, sb, "Finance")
	base := `
  title      = "x"
  owner_team = "finance"
`
	cases := []struct {
		name, typ, asset, body, want string
	}{
		{"unknown type", "dashboard", revenueModel, base, `(?s)Attribute type value must be one of.*"semantic_model"`},
		{"report asset for a model", "semantic_model", revenueOverview, base,
			words(`Wrong kind of Power BI asset`, `is a Power BI report, not a Power BI semantic model`, `use type = "report"`)},
		{"model asset for a report", "report", revenueModel, base,
			words(`Wrong kind of Power BI asset`, `is a Power BI semantic model, not a Power BI report`, `use type = "semantic_model"`)},
		{"missing asset", "semantic_model", "powerbi-00000000-0000-0000-0000-000000000000", base,
			`(?s)Power BI asset not found.*powerbi-00000000-0000-0000-0000-000000000000`},
		{"unknown team", "semantic_model", revenueModel, `
  title      = "x"
  owner_team = "no-such-team"
`, `(?s)Unknown owner team.*"no-such-team"`},
		{"unknown upstream port", "semantic_model", revenueModel, base + `
  upstream = [{ data_product_id = "snowflake-orders", output_port_id = "nope" }]
`, `(?s)Unknown upstream output port.*no output port "nope".*"orders"`},
		{"duplicate upstream", "semantic_model", revenueModel, base + `
  upstream = [
    { data_product_id = "snowflake-orders", output_port_id = "orders" },
    { data_product_id = "snowflake-orders", output_port_id = "orders" },
  ]
`, `(?s)upstream.*duplicate`},
		{"self as upstream", "report", monthlyClosePack, base + `
  upstream = [{ data_product_id = "self", output_port_id = "x" }]
`, `(?s)Data product cannot consume itself`},
		{"bad status", "semantic_model", revenueModel, base + `
  status = "live"
`, `(?s)Attribute status value must be one of.*"in development"`},
		{"reserved custom key", "semantic_model", revenueModel, base + `
  custom = { classification = "x" }
`, `(?s)custom.*must be none of.*"classification"`},
		{"bad id", "semantic_model", revenueModel, base, `(?s)Invalid id.*may only contain`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := "self"
			if tc.name == "bad id" {
				id = "finance/revenue"
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfig(sb) + dataProductHCL("bad", id, tc.typ, tc.asset, tc.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// An upstream product that does not exist is only known at apply: the API's
// answer becomes an error on the upstream entry, and the data product, which
// was saved first, stays in the state (tainted) to be replaced.
func TestAccDataProduct_unknownUpstreamProduct(t *testing.T) {
	sb := acctest.Sandbox(t)
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("orphan")
	res := addr("report")
	cfg := func(upstream string) string {
		return acctest.ProviderConfig(sb) + dataProductHCL("report", id, "report", monthlyClosePack, `
  title      = "Orphan"
  owner_team = "finance"
  upstream   = `+upstream)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, id),
		Steps: []resource.TestStep{
			{
				Config:      cfg(`[{ data_product_id = "no-such-product", output_port_id = "x" }]`),
				ExpectError: regexp.MustCompile(words(`Could not create the access agreement`, `The provider data product 'no-such-product' does not exist`)),
			},
			{
				Config: cfg(`[{ data_product_id = "snowflake-orders", output_port_id = "orders" }]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
				},
			},
		},
	})
}

// A type the organization has disabled is an error that names the setting.
func TestAccDataProduct_typeDisabled(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance")
	types := sb.API.DataProductTypes()
	for i := range types {
		if types[i].ID == entropydata.DataProductTypePowerBIReport {
			types[i].Enabled = false
		}
	}
	if err := sb.API.PutDataProductTypes(types); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(sb) + dataProductHCL("report", "close-pack", "report", monthlyClosePack, `
  title      = "Close Pack"
  owner_team = "finance"
`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Data product type disabled.*"powerbi-report".*dataproduct-types`),
		}},
	})
}

// Values known only at apply (here an asset id from another resource): the
// plan shows the port and the automatic links as unknown, and the apply
// works them out, after the model's data product exists.
func TestAccDataProduct_unknownAtPlan(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance")
	model, report := "late-model", "late-report"
	cfg := acctest.ProviderConfig(sb) + fmt.Sprintf(`
resource "terraform_data" "assets" {
  input = { model = %q, report = %q }
}
`, revenueModel, revenueOverview) + `
resource "entropydata_powerbi_data_product" "model" {
  id         = "` + model + `"
  type       = "semantic_model"
  asset_id   = terraform_data.assets.output.model
  title      = "Revenue"
  owner_team = "finance"
}

resource "entropydata_powerbi_data_product" "report" {
  id         = "` + report + `"
  type       = "report"
  asset_id   = terraform_data.assets.output.report
  title      = "Revenue Overview"
  owner_team = "finance"
  depends_on = [entropydata_powerbi_data_product.model]
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, model, report),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr("model"), tfjsonpath.New("output_port")),
					plancheck.ExpectUnknownValue(addr("report"), tfjsonpath.New("upstream")),
					plancheck.ExpectKnownValue(addr("report"), tfjsonpath.New("output_port"), knownvalue.Null()),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr("model"), portTables, knownvalue.MapExact(tableIDs(revenueTables...))),
				statecheck.ExpectKnownValue(addr("report"), tfjsonpath.New("upstream"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"data_product_id": knownvalue.StringExact(model), "output_port_id": knownvalue.StringExact(portID),
						"status": knownvalue.StringExact("approved"),
					}),
				})),
			},
		}},
	})
}

// The documentation's example works as written against the sandbox, once
// the integration it names ("finance-powerbi") has imported the workspaces.
func TestAccDataProduct_example(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	reingest(t, sb, "finance-powerbi", "Finance", "Sales Analytics")
	example, err := os.ReadFile("../../examples/resources/entropydata_powerbi_data_product/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	linked := knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"data_product_id": knownvalue.StringExact("revenue-model"), "output_port_id": knownvalue.StringExact(portID),
		"status": knownvalue.StringExact("approved"),
	})})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, "revenue-model", "revenue-overview", "revenue-by-region"),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(sb) + string(example),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr("revenue"), tfjsonpath.New("upstream").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("approved")),
				statecheck.ExpectKnownValue(addr("revenue_overview"), tfjsonpath.New("upstream"), linked),
				statecheck.ExpectKnownValue(addr("revenue_by_region"), tfjsonpath.New("upstream"), linked),
				statecheck.ExpectKnownOutputValue("revenue_model_columns", knownvalue.MapPartial(map[string]knownvalue.Check{
					// Terraform iterates a map in lexical order of its keys.
					"Sales": knownvalue.ListExact(strs(slices.Sorted(maps.Keys(salesColumns))...)),
				})),
			},
		}},
	})
}
