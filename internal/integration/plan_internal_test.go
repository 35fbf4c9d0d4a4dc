package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
)

func TestDroppedGovernedAssets(t *testing.T) {
	revenue := governedAsset{dataProduct: "revenue-model", assetID: entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue),
		kindAttr: filterpreview.AttrSemanticModels, what: "semantic model", name: "Revenue", id: tenant.DemoDatasetRevenue,
		workspaceName: "Finance", workspaceID: tenant.DemoWorkspaceFinance}
	overview := governedAsset{dataProduct: "revenue-overview", assetID: entropydata.PowerBIAssetID(tenant.DemoReportRevenueOverview),
		kindAttr: filterpreview.AttrReports, what: "report", name: "Revenue Overview", id: tenant.DemoReportRevenueOverview,
		workspaceName: "Finance", workspaceID: tenant.DemoWorkspaceFinance}
	assets := []governedAsset{revenue, overview}

	cases := []struct {
		name    string
		filters powerbi.Filters
		want    []string // "data product @ path: reason substring"
	}{
		{"still selected", powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Finance", "Marketing"}},
			SemanticModels: powerbi.Filter{Exclude: []string{"*(old)"}}}, nil},
		{"model excluded by name", powerbi.Filters{SemanticModels: powerbi.Filter{Exclude: []string{"*(old)", "revenue"}}},
			[]string{`revenue-model @ filters.semantic_models.exclude[1]: it is no longer selected: filters.semantic_models.exclude[1] ("revenue") matches it`}},
		{"report excluded by GUID", powerbi.Filters{Reports: powerbi.Filter{Exclude: []string{tenant.DemoReportRevenueOverview}}},
			[]string{"revenue-overview @ filters.reports.exclude[0]"}},
		{"report no longer included", powerbi.Filters{Reports: powerbi.Filter{Include: []string{"*KPIs"}}},
			[]string{"revenue-overview @ filters.reports.include: it is no longer selected: no pattern in filters.reports.include matches it"}},
		{"workspace left out", powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Sales*"}}},
			[]string{"revenue-model @ filters.workspaces.include: its workspace is no longer selected",
				"revenue-overview @ filters.workspaces.include: its workspace is no longer selected"}},
		{"workspace excluded by GUID", powerbi.Filters{Workspaces: powerbi.Filter{Exclude: []string{tenant.DemoWorkspaceFinance}}},
			[]string{"revenue-model @ filters.workspaces.exclude[0]", "revenue-overview @ filters.workspaces.exclude[0]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := droppedGovernedAssets(assets, tc.filters)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d drops %+v, want %d", len(got), got, len(tc.want))
			}
			for i, d := range got {
				line := d.dataProduct + " @ " + d.at.String() + ": " + d.reason
				if !strings.HasPrefix(line, tc.want[i]) {
					t.Errorf("drop %d = %q, want it to start with %q", i, line, tc.want[i])
				}
			}
		})
	}
}

func TestGovernedBy(t *testing.T) {
	model := &entropydata.Asset{
		ID:   entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue),
		Info: entropydata.AssetInfo{Type: entropydata.AssetTypePowerBISemanticModel, Name: "Revenue"},
		Custom: map[string]any{entropydata.CustomIntegration: "finance", entropydata.CustomWorkspaceName: "Finance",
			entropydata.CustomWorkspaceID: tenant.DemoWorkspaceFinance},
	}
	g, ok := governedBy(model, "revenue-model")
	if !ok || g.id != tenant.DemoDatasetRevenue || g.kindAttr != filterpreview.AttrSemanticModels || g.workspaceName != "Finance" {
		t.Errorf("governedBy = %+v, %v", g, ok)
	}
	table := *model
	table.Info.Type = entropydata.AssetTypePowerBITable
	if _, ok := governedBy(&table, "revenue-model"); ok {
		t.Error("a table counts as a governed model or report")
	}
}

func TestRareScheduleWarning(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		cron, summary, detail string
	}{
		{"0 6 * * *", "", ""},
		{"0 6 * * 1", "", ""}, // weekly: at most 7 days
		{"0 6 29 2 *", "Schedule runs rarely", `runs next at 2028-02-29T06:00:00Z, 720 days from now, and up to about 8 years can pass between two runs`},
		{"0 6 1 * *", "Schedule runs rarely", "runs next at 2026-04-01T06:00:00Z, 21 days from now"},
		{"0 6 11 3 *", "", ""}, // tomorrow, even though it then waits a year
		{"0 6 31 4 *", "Schedule never runs", `preset = "manual"`},
	}
	for _, tc := range cases {
		sch, err := schedule.ParseCron(tc.cron)
		if err != nil {
			t.Fatal(err)
		}
		var diags diag.Diagnostics
		addRareScheduleWarning(&diags, tc.cron, sch, now)
		if tc.summary == "" {
			if len(diags) != 0 {
				t.Errorf("%s: unexpected %v", tc.cron, diags)
			}
			continue
		}
		if len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning || diags[0].Summary() != tc.summary ||
			!strings.Contains(diags[0].Detail(), tc.detail) {
			t.Errorf("%s: got %v, want a %q warning saying %q", tc.cron, diags, tc.summary, tc.detail)
			continue
		}
		if p := diags[0].(diag.DiagnosticWithPath).Path().String(); p != "schedule.cron" {
			t.Errorf("%s: warning on %s, want schedule.cron", tc.cron, p)
		}
	}
}
