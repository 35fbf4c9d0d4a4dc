package filterpreview

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// demoVisible is what the demo principal sees of the demo tenant: every
// workspace but HR Confidential, with its models and reports.
var demoVisible = []Workspace{
	{Item{tenant.DemoWorkspaceFinance, "Finance"},
		[]Item{{tenant.DemoDatasetFinanceKPIs, "Finance KPIs"}, {tenant.DemoDatasetRevenue, "Revenue"}, {tenant.DemoDatasetRevenueOld, "Revenue (old)"}},
		[]Item{{tenant.DemoReportFinanceKPIs, "Finance KPIs"}, {tenant.DemoReportMonthlyClosePack, "Monthly Close Pack"},
			{tenant.DemoReportRevenueOverview, "Revenue Overview"}, {tenant.DemoReportRevenueOverviewOld, "Revenue Overview (old)"}}},
	{Item{tenant.DemoWorkspaceFinanceSandbox, "Finance Sandbox"},
		[]Item{{tenant.DemoDatasetRevenueExperiments, "Revenue Experiments"}},
		[]Item{{tenant.DemoReportRevenueWhatIf, "Revenue What-If"}}},
	{Item{tenant.DemoWorkspaceMarketing, "Marketing"},
		[]Item{{tenant.DemoDatasetCampaignPerformance, "Campaign Performance"}},
		[]Item{{tenant.DemoReportCampaignPerf, "Campaign Performance"}, {tenant.DemoReportCampaignROI, "Campaign ROI"}}},
	{Item{tenant.DemoWorkspaceSalesAnalytics, "Sales Analytics"},
		[]Item{{tenant.DemoDatasetCustomer360, "Customer 360"}, {tenant.DemoDatasetSalesPipeline, "Sales Pipeline"}},
		[]Item{{tenant.DemoReportCustomer360, "Customer 360"}, {tenant.DemoReportPipelineDashboard, "Pipeline Dashboard"},
			{tenant.DemoReportRevenueByRegion, "Revenue by Region"}}},
	{Item{tenant.DemoWorkspaceSupplyChain, "Supply Chain"},
		[]Item{{tenant.DemoDatasetInventory, "Inventory"}},
		[]Item{{tenant.DemoReportInventoryHealth, "Inventory Health"}}},
}

// inventoryFor does what Read does, offline: the workspace filter picks
// from demoVisible.
func inventoryFor(workspaces powerbi.Filter) *Inventory {
	inv := &Inventory{}
	for _, w := range demoVisible {
		if workspaces.Matches(w.Name, w.ID) {
			inv.Selected = append(inv.Selected, w)
		} else {
			inv.Unselected = append(inv.Unselected, w.Item)
		}
	}
	return inv
}

// render shows warnings as "path: summary" lines, sorted.
func render(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Path.String()+": "+w.Summary)
	}
	slices.Sort(out)
	return out
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name    string
		filters powerbi.Filters
		want    []string
		details []string // substrings of the details, in any warning
	}{
		{
			name:    "all selected, nothing to say",
			filters: powerbi.Filters{},
		},
		{
			name: "wildcards and exact names that all match",
			filters: powerbi.Filters{
				Workspaces:     powerbi.Filter{Include: []string{"finance*", "Marketing"}, Exclude: []string{"*Sandbox*"}},
				SemanticModels: powerbi.Filter{Exclude: []string{"*(old)"}},
			},
		},
		{
			name: "include patterns that match nothing",
			filters: powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Finance", "Fin*Ops*", "HR Confidential"}},
				SemanticModels: powerbi.Filter{Include: []string{"Revenue", "Revenu"}},
				Reports:        powerbi.Filter{Include: []string{"*Dashboard*"}}},
			want: []string{
				`filters.reports.include[0]: ` + SummaryMatchesNothing,
				`filters.semantic_models.include[1]: ` + SummaryMatchesNothing,
				`filters.workspaces.include[1]: ` + SummaryMatchesNothing,
				`filters.workspaces.include[2]: ` + SummaryNotVisible,
			},
			details: []string{
				`filters.workspaces.include[1] ("Fin*Ops*") matches none of the 5 workspaces the service principal can see ("Finance", "Finance Sandbox", "Marketing", "Sales Analytics", "Supply Chain")`,
				`filters.workspaces.include[2] names the workspace "HR Confidential" exactly, but the service principal sees no workspace with that name or id`,
				`Power BI hides the workspaces a principal is not a member of`,
				`filters.semantic_models.include[1] ("Revenu"): no semantic model has that name (or id) among the 3 semantic models in the 1 selected workspaces`,
				`filters.reports.include[0] ("*Dashboard*") matches none of the 4 reports in the 1 selected workspaces`,
			},
		},
		{
			name:    "a hidden workspace named by its GUID",
			filters: powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Marketing", tenant.DemoWorkspaceHRConfidential}}},
			want:    []string{`filters.workspaces.include[1]: ` + SummaryNotVisible},
		},
		{
			name: "exclude wins over an exact name",
			filters: powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Finance*", "finance sandbox"}, Exclude: []string{"Marketing", "*Sandbox*"}},
				Reports: powerbi.Filter{Include: []string{"Revenue Overview (old)", "*"}, Exclude: []string{"*(old)"}}},
			want: []string{
				`filters.reports.exclude[0]: ` + SummaryExcludeOverrides,
				`filters.workspaces.exclude[1]: ` + SummaryExcludeOverrides,
			},
			details: []string{
				`filters.workspaces.exclude[1] ("*Sandbox*") removes the workspace "Finance Sandbox", which filters.workspaces.include[1] names exactly ("finance sandbox")`,
				`filters.reports.exclude[0] ("*(old)") removes the report "Revenue Overview (old)" in workspace "Finance", which filters.reports.include[0] names exactly`,
			},
		},
		{
			name: "exclude wins over a GUID, matched by name",
			filters: powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Finance", tenant.DemoWorkspaceFinanceSandbox}, Exclude: []string{"*Sandbox"}},
				SemanticModels: powerbi.Filter{Include: []string{tenant.DemoDatasetRevenueOld}, Exclude: []string{"Revenue (old)"}}},
			want: []string{
				`filters.semantic_models.exclude[0]: ` + SummaryExcludeOverrides,
				`filters.workspaces.exclude[0]: ` + SummaryExcludeOverrides,
			},
		},
		{
			name:    "nothing selected",
			filters: powerbi.Filters{Workspaces: powerbi.Filter{Exclude: []string{"*"}}, SemanticModels: powerbi.Filter{Include: []string{"Nope"}}},
			want:    []string{`filters.workspaces: ` + SummaryNoWorkspace},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Warnings(inventoryFor(tc.filters.Workspaces), tc.filters)
			if !slices.Equal(render(got), tc.want) {
				t.Errorf("warnings:\n got %q\nwant %q", render(got), tc.want)
			}
			var all strings.Builder
			for _, w := range got {
				all.WriteString(w.Detail + "\n")
			}
			for _, d := range tc.details {
				if !strings.Contains(all.String(), d) {
					t.Errorf("no warning says %q; got:\n%s", d, all.String())
				}
			}
		})
	}
}

func TestWarnings_principalSeesNothing(t *testing.T) {
	got := Warnings(&Inventory{}, powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Finance"}}})
	if want := []string{"filters: " + SummarySeesNothing}; !slices.Equal(render(got), want) {
		t.Errorf("got %q, want %q", render(got), want)
	}
}

func TestWarnings_discoverNotes(t *testing.T) {
	inv := inventoryFor(powerbi.Filter{})
	inv.Notes = []string{`workspace "Marketing" was skipped`}
	got := Warnings(inv, powerbi.Filters{})
	if len(got) != 1 || got[0].Summary != SummarySkipped || got[0].Detail != inv.Notes[0] || got[0].Path.String() != "filters.workspaces" {
		t.Errorf("got %+v", got)
	}
}

func TestAddWarnings(t *testing.T) {
	var diags diag.Diagnostics
	AddWarnings(&diags, Warnings(inventoryFor(powerbi.Filter{}), powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"x", "y"}}}))
	if diags.WarningsCount() != 2 || diags.HasError() {
		t.Fatalf("diags = %v", diags)
	}
	for i, d := range diags {
		wd, ok := d.(diag.DiagnosticWithPath)
		if !ok || wd.Path().String() != fmt.Sprintf("filters.workspaces.include[%d]", i) {
			t.Errorf("diagnostic %d is not on filters.workspaces.include[%d]: %v", i, i, d)
		}
	}
}

func TestSelect(t *testing.T) {
	f := powerbi.Filters{
		Workspaces:     powerbi.Filter{Include: []string{"Finance*", tenant.DemoWorkspaceMarketing}, Exclude: []string{"*Sandbox*"}},
		SemanticModels: powerbi.Filter{Exclude: []string{"*(old)"}},
		Reports:        powerbi.Filter{Include: []string{"*KPIs", tenant.DemoReportCampaignROI}},
	}
	s := Select(inventoryFor(f.Workspaces), f)
	want := Selection{
		Workspaces:           []string{"Finance", "Marketing"},
		SemanticModels:       []string{"Finance/Finance KPIs", "Finance/Revenue", "Marketing/Campaign Performance"},
		Reports:              []string{"Finance/Finance KPIs", "Marketing/Campaign ROI"},
		UnselectedWorkspaces: []string{"Finance Sandbox", "Sales Analytics", "Supply Chain"},
	}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("selection:\n got %v\nwant %v", s, want)
	}

	// Lists are cut at the limit; counts stay complete.
	v := s.AttrValues(2)
	if v["truncated"] != types.BoolValue(true) || v["semantic_model_count"] != types.Int64Value(3) ||
		len(v["semantic_models"].(types.List).Elements()) != 2 || len(v["unselected_workspaces"].(types.List).Elements()) != 2 {
		t.Errorf("limit 2: %v", v)
	}
	if v := s.AttrValues(3); v["truncated"] != types.BoolValue(false) {
		t.Errorf("limit 3 cut something: %v", v)
	}
	if obj := s.Object(20); obj.IsNull() || obj.IsUnknown() || len(obj.Attributes()) != len(PreviewAttrTypes) {
		t.Errorf("object = %v", obj)
	}
}

func TestWhyLeftOut(t *testing.T) {
	f := powerbi.Filter{Include: []string{"Finance*", "Marketing"}, Exclude: []string{"*Sandbox*", tenant.DemoWorkspaceMarketing}}
	cases := []struct {
		name, id, at, reason string
	}{
		{"Finance", tenant.DemoWorkspaceFinance, "", ""},
		{"Finance Sandbox", tenant.DemoWorkspaceFinanceSandbox, "filters.workspaces.exclude[0]", `filters.workspaces.exclude[0] ("*Sandbox*") matches it`},
		{"Marketing", tenant.DemoWorkspaceMarketing, "filters.workspaces.exclude[1]", "exclude[1]"},
		{"Supply Chain", tenant.DemoWorkspaceSupplyChain, "filters.workspaces.include", "no pattern in filters.workspaces.include matches it"},
	}
	for _, tc := range cases {
		at, reason, dropped := WhyLeftOut(AttrWorkspaces, f, tc.name, tc.id)
		if dropped != (tc.at != "") || (dropped && at.String() != tc.at) || !strings.Contains(reason, tc.reason) {
			t.Errorf("%s: got (%s, %q, %v), want (%s, %q)", tc.name, at, reason, dropped, tc.at, tc.reason)
		}
	}
}

func TestFiltersRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Finance*"}, Exclude: []string{"*Sandbox*"}}}
	var diags diag.Diagnostics
	out := FiltersFrom(ctx, FiltersValue(in), &diags)
	if diags.HasError() || fmt.Sprint(out.Workspaces) != fmt.Sprint(in.Workspaces) ||
		out.SemanticModels.Include == nil || len(out.Reports.Exclude) != 0 {
		t.Errorf("round trip: %+v (%v)", out, diags)
	}
	if !FiltersKnown(EmptyFilters()) || FiltersKnown(types.ObjectUnknown(FiltersAttrTypes)) {
		t.Error("FiltersKnown is wrong about fully known or unknown filters")
	}
	partly := FiltersValue(in).Attributes()
	partly[AttrReports] = types.ObjectUnknown(PatternFilterAttrTypes)
	if FiltersKnown(types.ObjectValueMust(FiltersAttrTypes, partly)) {
		t.Error("FiltersKnown says filters with an unknown part are known")
	}
	if got := FiltersFrom(ctx, types.ObjectNull(FiltersAttrTypes), &diags); got.Workspaces.Include == nil {
		t.Error("null filters must give empty, non-nil lists")
	}
}
