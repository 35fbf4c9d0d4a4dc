package powerbi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A small demo tenant as the service principal sees it.
const (
	wsFinance  = "10000000-0000-0000-0000-000000000001"
	wsFinSand  = "10000000-0000-0000-0000-000000000002"
	wsFinEU    = "10000000-0000-0000-0000-000000000003"
	wsHR       = "10000000-0000-0000-0000-000000000004"
	wsMarket   = "10000000-0000-0000-0000-000000000005"
	dsRevenue  = "20000000-0000-0000-0000-000000000001"
	dsRevTest  = "20000000-0000-0000-0000-000000000002"
	dsBudget   = "20000000-0000-0000-0000-000000000003"
	dsPeople   = "20000000-0000-0000-0000-000000000004"
	rpRevenue  = "30000000-0000-0000-0000-000000000001"
	rpRevOld   = "30000000-0000-0000-0000-000000000002"
	rpInvoices = "30000000-0000-0000-0000-000000000003"
)

type item struct{ id, name string }

type fakeTenant struct {
	t         *testing.T
	groups    []item
	datasets  map[string][]item
	reports   map[string][]item
	gone      map[string]bool // workspaces answering 404 (access lost mid-run)
	broken    map[string]bool // workspaces answering 500
	scanner   http.Handler    // admin API; nil means 401 (not enabled)
	inFlight  atomic.Int32
	maxFlight atomic.Int32
}

func newFakeTenant(t *testing.T) *fakeTenant {
	return &fakeTenant{
		t: t,
		groups: []item{
			{wsMarket, "Marketing"}, {wsFinSand, "Finance Sandbox"}, {wsFinance, "Finance"},
			{wsHR, "HR"}, {wsFinEU, "finance EU"},
		},
		datasets: map[string][]item{
			wsFinance: {{dsRevTest, "Revenue Test"}, {dsRevenue, "Revenue"}},
			wsFinEU:   {{dsBudget, "Budget"}},
			wsHR:      {{dsPeople, "People"}},
		},
		reports: map[string][]item{
			wsFinance: {{rpRevOld, "Revenue (old)"}, {rpRevenue, "Revenue"}},
			wsFinEU:   {{rpInvoices, "Invoices"}},
		},
		gone:   map[string]bool{},
		broken: map[string]bool{},
	}
}

func (f *fakeTenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/v1.0/myorg")
	if strings.HasPrefix(path, "/admin/") {
		if f.scanner == nil {
			pbiError(w, 401, CodeNotAuthorized, "")
			return
		}
		f.scanner.ServeHTTP(w, r)
		return
	}
	if path == "/groups" {
		var value []map[string]any
		for _, g := range f.groups {
			value = append(value, map[string]any{"id": g.id, "name": g.name, "type": "Workspace", "isReadOnly": false, "isOnDedicatedCapacity": false})
		}
		writeJSON(w, 200, map[string]any{"@odata.count": len(value), "value": value})
		return
	}
	// /groups/{id}/datasets or /groups/{id}/reports
	parts := strings.Split(strings.TrimPrefix(path, "/groups/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxFlight.Load()
		if n <= m || f.maxFlight.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(2 * time.Millisecond) // let requests overlap so the bound is exercised
	ws, kind := parts[0], parts[1]
	switch {
	case f.gone[ws]:
		pbiError(w, 404, CodeEntityNotFound, "")
		return
	case f.broken[ws]:
		pbiError(w, 500, "InternalServerError", "boom")
		return
	}
	var value []map[string]any
	switch kind {
	case "datasets":
		for _, d := range f.datasets[ws] {
			value = append(value, map[string]any{"id": d.id, "name": d.name, "configuredBy": "john@contoso.com", "isRefreshable": true,
				"webUrl": "https://app.powerbi.com/groups/" + ws + "/datasets/" + d.id})
		}
	case "reports":
		for _, rp := range f.reports[ws] {
			value = append(value, map[string]any{"id": rp.id, "name": rp.name, "reportType": "PowerBIReport", "datasetId": dsRevenue,
				"webUrl": "https://app.powerbi.com/groups/" + ws + "/reports/" + rp.id})
		}
	default:
		http.NotFound(w, r)
		return
	}
	writeJSON(w, 200, map[string]any{"value": value})
}

var demoFilters = Filters{
	Workspaces:     Filter{Include: []string{"Finance*", wsHR}, Exclude: []string{"*Sandbox*"}},
	SemanticModels: Filter{Exclude: []string{"*Test*"}},
	Reports:        Filter{Exclude: []string{"*(old)"}},
}

func names[T any](items []T, name func(T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

func TestDiscoverAppliesFiltersInDeterministicOrder(t *testing.T) {
	ft := newFakeTenant(t)
	c, _ := newTestClient(t, ft, nil)
	sel, err := Discover(context.Background(), c, demoFilters, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// "Finance*" (case-insensitive) + the HR GUID, minus the sandbox, sorted by name.
	if got := names(sel.Workspaces, func(w SelectedWorkspace) string { return w.Name }); !slices.Equal(got, []string{"Finance", "finance EU", "HR"}) {
		t.Fatalf("workspaces = %v", got)
	}
	if !slices.Equal(sel.UnselectedWorkspaces, []string{"Finance Sandbox", "Marketing"}) {
		t.Errorf("unselected = %v", sel.UnselectedWorkspaces)
	}
	for i, g := range sel.UnselectedGroups {
		if g.Name != sel.UnselectedWorkspaces[i] || g.ID == "" {
			t.Errorf("unselected group %d = %+v, want the workspace %q with its id", i, g, sel.UnselectedWorkspaces[i])
		}
	}
	fin := sel.Workspaces[0]
	if fin.ID != wsFinance || fin.Type != "Workspace" {
		t.Errorf("finance group = %+v", fin.Group)
	}
	if got := names(fin.SemanticModels, func(m SelectedModel) string { return m.Name }); !slices.Equal(got, []string{"Revenue"}) {
		t.Errorf("finance models = %v", got)
	}
	if fin.SemanticModels[0].ConfiguredBy != "john@contoso.com" || fin.SemanticModels[0].Tables != nil {
		t.Errorf("finance model = %+v", fin.SemanticModels[0])
	}
	if got := names(fin.Reports, func(r Report) string { return r.Name }); !slices.Equal(got, []string{"Revenue"}) {
		t.Errorf("finance reports = %v", got)
	}
	if sel.SemanticModelCount() != 3 || sel.ReportCount() != 2 {
		t.Errorf("counts = %d models, %d reports", sel.SemanticModelCount(), sel.ReportCount())
	}
	if len(sel.Warnings) != 0 || sel.SchemaError != nil {
		t.Errorf("warnings=%v schemaErr=%v", sel.Warnings, sel.SchemaError)
	}
}

func TestDiscoverBoundsConcurrency(t *testing.T) {
	ft := newFakeTenant(t)
	c, _ := newTestClient(t, ft, nil)
	if _, err := Discover(context.Background(), c, Filters{}, DiscoverOptions{Concurrency: 2}); err != nil {
		t.Fatal(err)
	}
	// Each workspace lists datasets then reports sequentially, so at most
	// one request per worker is in flight.
	if got := ft.maxFlight.Load(); got > 2 || got < 1 {
		t.Errorf("max in-flight workspace requests = %d, want 1..2", got)
	}
}

func TestDiscoverWithSchemaAttachesTables(t *testing.T) {
	ft := newFakeTenant(t)
	scanner := &fakeScanner{t: t, runningPolls: 1}
	ft.scanner = scanner
	c, _ := newTestClient(t, ft, nil)
	// The fake scanner names its one dataset "ds-<workspace id>"; select a
	// workspace whose model has that id so tables can be attached.
	ft.datasets[wsHR] = []item{{"ds-" + wsHR, "People"}}
	sel, err := Discover(context.Background(), c, demoFilters, DiscoverOptions{WithSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(scanner.batches) != 1 {
		t.Fatalf("scan batches = %v", scanner.batches)
	}
	got := scanner.batches[0]
	slices.Sort(got)
	if !slices.Equal(got, []string{wsFinance, wsFinEU, wsHR}) {
		t.Errorf("scanned workspaces = %v, want only those with selected models", got)
	}
	hr := sel.Workspaces[2]
	if hr.Name != "HR" || len(hr.SemanticModels) != 1 || len(hr.SemanticModels[0].Tables) != 1 ||
		hr.SemanticModels[0].Tables[0].Columns[0].Name != "Amount" {
		t.Errorf("HR workspace = %+v", hr)
	}
}

func TestDiscoverRecordsScannerFailureButKeepsModels(t *testing.T) {
	ft := newFakeTenant(t) // scanner nil: admin APIs answer 401
	c, _ := newTestClient(t, ft, nil)
	sel, err := Discover(context.Background(), c, demoFilters, DiscoverOptions{WithSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	if ae, ok := AsAPIError(sel.SchemaError); !ok || ae.StatusCode != 401 {
		t.Fatalf("SchemaError = %v", sel.SchemaError)
	}
	if sel.SemanticModelCount() != 3 || len(sel.Warnings) != 1 || !strings.Contains(sel.Warnings[0], "read-only admin APIs") {
		t.Errorf("models=%d warnings=%v", sel.SemanticModelCount(), sel.Warnings)
	}
}

func TestDiscoverSkipsWorkspaceThatVanishes(t *testing.T) {
	ft := newFakeTenant(t)
	ft.gone[wsFinEU] = true
	c, _ := newTestClient(t, ft, nil)
	sel, err := Discover(context.Background(), c, demoFilters, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(sel.Workspaces, func(w SelectedWorkspace) string { return w.Name }); !slices.Equal(got, []string{"Finance", "HR"}) {
		t.Errorf("workspaces = %v", got)
	}
	if len(sel.Warnings) != 1 || !strings.Contains(sel.Warnings[0], `"finance EU"`) || !strings.Contains(sel.Warnings[0], "lost access") {
		t.Errorf("warnings = %v", sel.Warnings)
	}
}

func TestDiscoverFailsOnOtherErrors(t *testing.T) {
	ft := newFakeTenant(t)
	ft.broken[wsHR] = true
	c, _ := newTestClient(t, ft, func(cfg *ClientConfig) { cfg.MaxRetries = ptr(-1) })
	_, err := Discover(context.Background(), c, demoFilters, DiscoverOptions{})
	if ae, ok := AsAPIError(err); !ok || ae.StatusCode != 500 || !strings.Contains(err.Error(), `workspace "HR"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestDiscoverFailsWhenWorkspacesCannotBeListed(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { pbiError(w, 401, CodeNotAuthorized, "") })
	c, _ := newTestClient(t, h, nil)
	_, err := Discover(context.Background(), c, Filters{}, DiscoverOptions{})
	if ae, ok := AsAPIError(err); !ok || ae.StatusCode != 401 {
		t.Fatalf("err = %v", err)
	}
}
