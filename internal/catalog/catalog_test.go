package catalog_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog/catalogtest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// The tests share one sandbox holding catalogtest's fixture. Its small page
// size makes every lookup walk several list pages.
const testPageSize = 7

var (
	sharedOnce sync.Once
	shared     *sandbox.Sandbox
	sharedErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		_ = shared.Close()
	}
	os.Exit(code)
}

func demo(t *testing.T) (*sandbox.Sandbox, catalogtest.Fixture) {
	t.Helper()
	sharedOnce.Do(func() {
		shared, sharedErr = sandbox.Start(sandbox.Options{PageSize: testPageSize, ScheduleTick: -1})
	})
	if sharedErr != nil {
		t.Fatalf("start sandbox: %v", sharedErr)
	}
	return shared, catalogtest.Import(t, shared)
}

func client(t testing.TB, sb *sandbox.Sandbox) *entropydata.Client {
	t.Helper()
	c, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: sb.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func reader(t testing.TB, sb *sandbox.Sandbox) *catalog.Reader {
	return catalog.New(client(t, sb))
}

// label is "<workspace>/<name>", what the expectations below list.
func label(s catalog.Summary) string { return s.WorkspaceName + "/" + s.Name }

func labels[T any](items []T, summary func(*T) catalog.Summary) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = label(summary(&items[i]))
	}
	return out
}

type filterCase struct {
	name string
	q    catalog.Query
	want []string // labels, in order
}

// checkFilters runs a lookup per case and compares the labels of the results.
func checkFilters[T any](t *testing.T, cases []filterCase, lookup func(context.Context, catalog.Query) ([]T, error), summary func(*T) catalog.Summary) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lookup(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := labels(got, summary); !slices.Equal(got, tc.want) {
				t.Errorf("lookup(%v) = %q, want %q", tc.q, got, tc.want)
			}
		})
	}
}

func TestSemanticModels_filters(t *testing.T) {
	sb, fx := demo(t)
	r := reader(t, sb)
	all := []string{
		"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments",
		"Marketing/Campaign Performance", "Sales Analytics/Customer 360", "Sales Analytics/Sales Pipeline",
	}
	checkFilters(t, []filterCase{
		{"everything, sorted by workspace and name", catalog.Query{}, all},
		{"integration", catalog.Query{Integration: fx.Sales},
			[]string{"Marketing/Campaign Performance", "Sales Analytics/Customer 360", "Sales Analytics/Sales Pipeline"}},
		{"unknown integration", catalog.Query{Integration: "no-such-integration"}, nil},
		{"integration is exact", catalog.Query{Integration: strings.ToUpper(fx.Sales)}, nil},
		{"workspace matches the whole name", catalog.Query{Workspace: "Finance"},
			[]string{"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)"}},
		{"workspace wildcard, any case", catalog.Query{Workspace: "finance*"},
			[]string{"Finance/Finance KPIs", "Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments"}},
		{"workspace GUID", catalog.Query{Workspace: strings.ToUpper(tenant.DemoWorkspaceSalesAnalytics)},
			[]string{"Sales Analytics/Customer 360", "Sales Analytics/Sales Pipeline"}},
		{"workspace not imported", catalog.Query{Workspace: "Supply Chain"}, nil},
		{"name", catalog.Query{Name: "revenue"}, []string{"Finance/Revenue"}},
		{"name wildcard", catalog.Query{Name: "Revenue*"},
			[]string{"Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments"}},
		{"name wildcard inside", catalog.Query{Name: "*e*0*"}, []string{"Sales Analytics/Customer 360"}},
		{"name GUID", catalog.Query{Name: tenant.DemoDatasetCampaignPerformance}, []string{"Marketing/Campaign Performance"}},
		{"name and workspace", catalog.Query{Name: "Revenue*", Workspace: "Finance"},
			[]string{"Finance/Revenue", "Finance/Revenue (old)"}},
		{"name and integration", catalog.Query{Name: "Rev*", Integration: fx.Finance},
			[]string{"Finance/Revenue", "Finance/Revenue (old)", "Finance Sandbox/Revenue Experiments"}},
		{"all three", catalog.Query{Name: "Revenue*", Workspace: "Finance Sandbox", Integration: fx.Finance},
			[]string{"Finance Sandbox/Revenue Experiments"}},
		{"all three, disjoint", catalog.Query{Name: "Revenue*", Workspace: "Finance", Integration: fx.Sales}, nil},
	}, r.SemanticModels, (*catalog.SemanticModel).Summary)
}

func TestSemanticModels_fields(t *testing.T) {
	sb, fx := demo(t)
	got, err := reader(t, sb).SemanticModels(context.Background(), catalog.Query{Name: "Revenue*", Workspace: "Finance", Tables: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d models, want 2", len(got))
	}
	rev, old := got[0], got[1]
	want := catalog.Summary{
		AssetID:       entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue),
		PowerBIID:     tenant.DemoDatasetRevenue,
		Name:          "Revenue",
		Description:   "Certified revenue model: order lines, customers and the fiscal calendar.",
		WorkspaceID:   tenant.DemoWorkspaceFinance,
		WorkspaceName: "Finance",
		WebURL:        tenant.DatasetWebURL(tenant.DemoWorkspaceFinance, tenant.DemoDatasetRevenue),
		Integration:   fx.Finance,
		OwnerTeam:     "finance",
	}
	if rev.Summary() != want {
		t.Errorf("Revenue = %+v\nwant      %+v", rev.Summary(), want)
	}
	var tables []string
	for _, tb := range rev.Tables {
		tables = append(tables, tb.Name)
	}
	if !slices.Equal(tables, []string{"Calendar", "Customers", "Sales"}) {
		t.Fatalf("tables = %q, want Calendar, Customers, Sales (by name)", tables)
	}
	sales := rev.Tables[2]
	if sales.AssetID != entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, "Sales") ||
		sales.Description != "One row per order line." || sales.Hidden || len(sales.Columns) != 8 {
		t.Errorf("Sales table = %+v", sales)
	}
	if c := sales.Columns[0]; c != (catalog.Column{Name: "Order ID", DataType: "String", Description: "Order number from the ERP."}) {
		t.Errorf("first column = %+v", c)
	}
	if c := sales.Columns[7]; c != (catalog.Column{Name: "ETL Batch ID", DataType: "Int64", Description: "Load batch; technical.", Hidden: true}) {
		t.Errorf("hidden column = %+v", c)
	}
	// Revenue (old) has an auto-generated hidden date table.
	if len(old.Tables) != 2 || !old.Tables[0].Hidden || !strings.HasPrefix(old.Tables[0].Name, "LocalDateTable_") || old.Tables[1].Hidden {
		t.Errorf("Revenue (old) tables = %+v", old.Tables)
	}
}

func TestSemanticModel_byID(t *testing.T) {
	sb, fx := demo(t)
	r := reader(t, sb)
	m, err := r.SemanticModel(context.Background(), entropydata.PowerBIAssetID(tenant.DemoDatasetSalesPipeline))
	if err != nil {
		t.Fatal(err)
	}
	if label(m.Summary()) != "Sales Analytics/Sales Pipeline" || m.Integration != fx.Sales || m.OwnerTeam != "sales" || len(m.Tables) != 3 {
		t.Errorf("SemanticModel = %+v", m)
	}
	// The list and the single lookup agree entirely.
	list, err := r.SemanticModels(context.Background(), catalog.Query{Name: tenant.DemoDatasetSalesPipeline, Tables: true})
	if err != nil || len(list) != 1 {
		t.Fatalf("SemanticModels = %v, %v", list, err)
	}
	if !equalModels(list[0], *m) {
		t.Errorf("list and single lookup differ:\n%+v\n%+v", list[0], *m)
	}
}

func equalModels(a, b catalog.SemanticModel) bool {
	return a.Summary() == b.Summary() && slices.EqualFunc(a.Tables, b.Tables, func(x, y catalog.Table) bool {
		return x.AssetID == y.AssetID && x.Name == y.Name && x.Description == y.Description && x.Hidden == y.Hidden &&
			slices.Equal(x.Columns, y.Columns)
	})
}

func TestSingleLookupErrors(t *testing.T) {
	sb, _ := demo(t)
	r := reader(t, sb)
	ctx := context.Background()
	reportID := entropydata.PowerBIAssetID(tenant.DemoReportRevenueOverview)
	modelID := entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	workspaceID := entropydata.PowerBIAssetID(tenant.DemoWorkspaceFinance)

	_, err := r.SemanticModel(ctx, "powerbi-no-such-model")
	if !errors.Is(err, catalog.ErrAssetNotFound) || !entropydata.IsNotFound(err) || !strings.Contains(err.Error(), "powerbi-no-such-model") {
		t.Errorf("unknown id: err = %v, want ErrAssetNotFound naming the id", err)
	}
	_, err = r.Report(ctx, "powerbi-no-such-report")
	if !errors.Is(err, catalog.ErrAssetNotFound) {
		t.Errorf("unknown report id: err = %v, want ErrAssetNotFound", err)
	}

	for _, tc := range []struct {
		name    string
		get     func() error
		want    catalog.WrongKindError
		message string
	}{
		{"report as model", func() error { _, err := r.SemanticModel(ctx, reportID); return err },
			catalog.WrongKindError{AssetID: reportID, Want: entropydata.AssetTypePowerBISemanticModel, Got: entropydata.AssetTypePowerBIReport},
			`the asset "` + reportID + `" is a Power BI report, not a Power BI semantic model`},
		{"model as report", func() error { _, err := r.Report(ctx, modelID); return err },
			catalog.WrongKindError{AssetID: modelID, Want: entropydata.AssetTypePowerBIReport, Got: entropydata.AssetTypePowerBISemanticModel},
			`the asset "` + modelID + `" is a Power BI semantic model, not a Power BI report`},
		{"workspace as model", func() error { _, err := r.SemanticModel(ctx, workspaceID); return err },
			catalog.WrongKindError{AssetID: workspaceID, Want: entropydata.AssetTypePowerBISemanticModel, Got: entropydata.AssetTypePowerBIWorkspace},
			"is a Power BI workspace, not a Power BI semantic model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.get()
			var wk *catalog.WrongKindError
			if !errors.As(err, &wk) || *wk != tc.want {
				t.Fatalf("err = %#v, want %+v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("message %q does not contain %q", err, tc.message)
			}
		})
	}
}

func TestInvalidPatterns(t *testing.T) {
	sb, _ := demo(t)
	r := reader(t, sb)
	for _, q := range []catalog.Query{{Name: " Revenue"}, {Workspace: "https://app.powerbi.com/groups/x"}} {
		if _, err := r.SemanticModels(context.Background(), q); err == nil || !strings.Contains(err.Error(), "invalid pattern") {
			t.Errorf("SemanticModels(%v): err = %v, want an invalid pattern error", q, err)
		}
		if _, err := r.Reports(context.Background(), q); err == nil {
			t.Errorf("Reports(%v) accepted an invalid pattern", q)
		}
	}
}

func TestReports_filters(t *testing.T) {
	sb, fx := demo(t)
	r := reader(t, sb)
	checkFilters(t, []filterCase{
		{"everything", catalog.Query{}, []string{
			"Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview", "Finance/Revenue Overview (old)",
			"Finance Sandbox/Revenue What-If", "Marketing/Campaign Performance", "Marketing/Campaign ROI",
			"Sales Analytics/Customer 360", "Sales Analytics/Pipeline Dashboard", "Sales Analytics/Revenue by Region",
		}},
		{"integration", catalog.Query{Integration: fx.Finance}, []string{
			"Finance/Finance KPIs", "Finance/Monthly Close Pack", "Finance/Revenue Overview", "Finance/Revenue Overview (old)",
			"Finance Sandbox/Revenue What-If",
		}},
		{"workspace", catalog.Query{Workspace: "marketing"}, []string{"Marketing/Campaign Performance", "Marketing/Campaign ROI"}},
		{"workspace GUID", catalog.Query{Workspace: tenant.DemoWorkspaceFinanceSandbox}, []string{"Finance Sandbox/Revenue What-If"}},
		{"name", catalog.Query{Name: "Revenue*"}, []string{
			"Finance/Revenue Overview", "Finance/Revenue Overview (old)", "Finance Sandbox/Revenue What-If", "Sales Analytics/Revenue by Region",
		}},
		{"name GUID", catalog.Query{Name: tenant.DemoReportPipelineDashboard}, []string{"Sales Analytics/Pipeline Dashboard"}},
		{"name and workspace", catalog.Query{Name: "*Revenue*", Workspace: "Sales*"}, []string{"Sales Analytics/Revenue by Region"}},
		{"name and integration", catalog.Query{Name: "*(old)", Integration: fx.Finance}, []string{"Finance/Revenue Overview (old)"}},
		{"all three", catalog.Query{Name: "Campaign*", Workspace: "Marketing", Integration: fx.Sales},
			[]string{"Marketing/Campaign Performance", "Marketing/Campaign ROI"}},
		{"all three, disjoint", catalog.Query{Name: "Campaign*", Workspace: "Marketing", Integration: fx.Finance}, nil},
	}, r.Reports, (*catalog.Report).Summary)
}

func TestReports_fields(t *testing.T) {
	sb, fx := demo(t)
	r := reader(t, sb)
	ctx := context.Background()
	byName := func(name string) catalog.Report {
		t.Helper()
		got, err := r.Reports(ctx, catalog.Query{Name: name})
		if err != nil || len(got) != 1 {
			t.Fatalf("Reports(%q) = %v, %v; want one", name, got, err)
		}
		return got[0]
	}

	// A report in Sales Analytics on a model in Finance, imported by the
	// other integration: the name comes from the model asset.
	cross := byName("Revenue by Region")
	want := catalog.Report{
		AssetID:              entropydata.PowerBIAssetID(tenant.DemoReportRevenueByRegion),
		PowerBIID:            tenant.DemoReportRevenueByRegion,
		Name:                 "Revenue by Region",
		Description:          "Built on the certified Revenue model in Finance.",
		WorkspaceID:          tenant.DemoWorkspaceSalesAnalytics,
		WorkspaceName:        "Sales Analytics",
		WebURL:               "https://app.powerbi.com/groups/" + tenant.DemoWorkspaceSalesAnalytics + "/reports/" + tenant.DemoReportRevenueByRegion,
		ReportType:           "PowerBIReport",
		Integration:          fx.Sales,
		OwnerTeam:            "sales",
		SemanticModelAssetID: entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue),
		SemanticModelName:    "Revenue",
	}
	if cross != want {
		t.Errorf("Revenue by Region =\n%+v\nwant\n%+v", cross, want)
	}
	single, err := r.Report(ctx, want.AssetID)
	if err != nil || *single != want {
		t.Errorf("Report(%s) = %+v, %v; want %+v", want.AssetID, single, err, want)
	}

	paginated := byName("Monthly Close Pack")
	if paginated.ReportType != "PaginatedReport" || paginated.SemanticModelAssetID != "" || paginated.SemanticModelName != "" {
		t.Errorf("paginated report = %+v, want no model", paginated)
	}
	same := byName("Revenue Overview")
	if same.SemanticModelAssetID != entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue) || same.SemanticModelName != "Revenue" {
		t.Errorf("Revenue Overview = %+v", same)
	}
}

// A report whose model was never imported keeps the model's asset id (from
// the "uses" relationship) and has no model name.
func TestReports_modelNotImported(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	if _, err := sb.Ingest(context.Background(), "sales-only", "", catalogtest.Workspaces("Sales Analytics")); err != nil {
		t.Fatal(err)
	}
	r := reader(t, sb)
	wantModel := entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	list, err := r.Reports(context.Background(), catalog.Query{Name: "Revenue by Region"})
	if err != nil || len(list) != 1 {
		t.Fatalf("Reports = %v, %v", list, err)
	}
	single, err := r.Report(context.Background(), list[0].AssetID)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []catalog.Report{list[0], *single} {
		if got.SemanticModelAssetID != wantModel || got.SemanticModelName != "" {
			t.Errorf("report = %+v, want model %s without a name", got, wantModel)
		}
	}
}

// Requests on the demo fixture, per lookup: the list pages, then one GET per
// candidate the list could not rule out, plus one per table of a match.
func TestRequestCounts_demo(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{PageSize: testPageSize, ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	catalogtest.Import(t, sb)
	pages := (len(sb.API.Assets()) + testPageSize - 1) / testPageSize
	r := reader(t, sb)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func() error
		gets int
	}{
		// Revenue, whose asset carries its tables: no table GETs.
		{"model by name", func() error { _, err := r.SemanticModels(ctx, catalog.Query{Name: "Revenue"}); return err }, 1},
		// The 3 models of Finance; the list rules out the other 4 models.
		{"models by workspace", func() error { _, err := r.SemanticModels(ctx, catalog.Query{Workspace: "Finance"}); return err }, 3},
		// The integration is in no list body: all 7 models are fetched, then the 3 matches' 8 tables.
		{"models by integration", func() error {
			_, err := r.SemanticModels(ctx, catalog.Query{Integration: "no-such-integration"})
			return err
		}, 7},
		// 4 candidates by name; every model name is in the list, so no model GET.
		{"reports by name", func() error { _, err := r.Reports(ctx, catalog.Query{Name: "Revenue*"}); return err }, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := sb.Faults.Counts()
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			after := sb.Faults.Counts()
			lists := after["GET /api/assets"] - before["GET /api/assets"]
			gets := after["GET /api/assets/{id}"] - before["GET /api/assets/{id}"]
			// Pages are read ahead: up to AssetPagesAhead-1 requests beyond the
			// last, cancelled by the client but possibly counted by the server
			// only after the lookup returned, in the next case.
			ahead := 2 * (entropydata.AssetPagesAhead - 1)
			if lists < pages || lists > pages+ahead || gets != tc.gets {
				t.Errorf("%d list pages and %d GETs, want %d (+ at most %d read ahead) and %d", lists, gets, pages, ahead, tc.gets)
			}
		})
	}
}
