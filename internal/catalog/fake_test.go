package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// fakeAPI serves the asset list (id and info only, one page) and GET by
// id from a fixed set of assets, for the cases the sandbox never produces.
type fakeAPI struct {
	assets   []entropydata.Asset
	gone     map[string]bool // listed, but 404 on GET (deleted in between)
	failGet  map[string]int  // status to answer a GET of this id with
	failList int

	mu       sync.Mutex
	gets     []string
	inFlight atomic.Int32
	maxIn    atomic.Int32
	delay    time.Duration
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxIn.Load()
		if n <= m || f.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(f.delay)
	problem := func(status int) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"title":%q,"status":%d,"detail":"injected"}`, http.StatusText(status), status)
	}
	if r.URL.Path == "/api/assets" {
		if f.failList != 0 {
			problem(f.failList)
			return
		}
		items := make([]entropydata.Asset, len(f.assets))
		for i, a := range f.assets {
			items[i] = entropydata.Asset{ID: a.ID, Info: a.Info}
		}
		_ = json.NewEncoder(w).Encode(items)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/api/assets/")
	f.mu.Lock()
	f.gets = append(f.gets, id)
	f.mu.Unlock()
	if status := f.failGet[id]; status != 0 {
		problem(status)
		return
	}
	for _, a := range f.assets {
		if a.ID == id && !f.gone[id] {
			_ = json.NewEncoder(w).Encode(a)
			return
		}
	}
	problem(http.StatusNotFound)
}

func (f *fakeAPI) reader(t *testing.T, opts ...catalog.Option) *catalog.Reader {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := entropydata.New(entropydata.Config{Host: srv.URL, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	return catalog.New(c, opts...)
}

func (f *fakeAPI) fetched() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Clone(f.gets)
	slices.Sort(out)
	return out
}

const (
	wsA    = "11111111-1111-4111-8111-111111111111"
	wsB    = "22222222-2222-4222-8222-222222222222"
	wsGone = "33333333-3333-4333-8333-333333333333" // no workspace asset
	model1 = "aaaaaaaa-0000-4000-8000-000000000001"
	model2 = "aaaaaaaa-0000-4000-8000-000000000002"
	model3 = "aaaaaaaa-0000-4000-8000-000000000003"
	model4 = "aaaaaaaa-0000-4000-8000-000000000004"
)

func workspaceAsset(guid, name string) entropydata.Asset {
	return entropydata.Asset{ID: entropydata.PowerBIAssetID(guid),
		Info: entropydata.AssetInfo{Type: entropydata.AssetTypePowerBIWorkspace, Name: name, SourceID: guid}}
}

func modelAsset(guid, name, wsGUID, wsName, sourceURL string) entropydata.Asset {
	return entropydata.Asset{
		ID:     entropydata.PowerBIAssetID(guid),
		Info:   entropydata.AssetInfo{Type: entropydata.AssetTypePowerBISemanticModel, Name: name, SourceID: guid, SourceURL: sourceURL},
		Custom: map[string]any{entropydata.CustomIntegration: "i", entropydata.CustomWorkspaceID: wsGUID, entropydata.CustomWorkspaceName: wsName},
	}
}

func tableAsset(modelGUID, name string, parent string, custom map[string]any, cols ...entropydata.AssetColumn) entropydata.Asset {
	return entropydata.Asset{
		ID:            entropydata.PowerBITableAssetID(modelGUID, name),
		Info:          entropydata.AssetInfo{Type: entropydata.AssetTypePowerBITable, Name: name, SourceID: modelGUID + "/" + name},
		Custom:        custom,
		Columns:       cols,
		Relationships: []entropydata.AssetRelationship{{RelationshipType: entropydata.RelationshipParent, AssetID: parent}},
	}
}

func groupURL(ws, model string) string {
	return "https://app.powerbi.com/groups/" + ws + "/datasets/" + model
}

// The workspace hint from the list only rules out what it is sure of.
func TestWorkspaceHintIsConservative(t *testing.T) {
	f := &fakeAPI{assets: []entropydata.Asset{
		workspaceAsset(wsA, "Alpha"),
		workspaceAsset(wsB, "Beta"),
		modelAsset(model1, "In Alpha", wsA, "Alpha", groupURL(wsA, model1)),
		modelAsset(model2, "In Beta", wsB, "Beta", groupURL(wsB, model2)),
		// The list does not know this workspace: fetched, and the asset decides.
		modelAsset(model3, "Unknown workspace", wsGone, "Alpha", groupURL(wsGone, model3)),
		// No URL: fetched, and the asset decides (it is in Beta).
		modelAsset(model4, "No URL", wsB, "Beta", ""),
	}}
	got, err := f.reader(t).SemanticModels(context.Background(), catalog.Query{Workspace: "alpha"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range got {
		names = append(names, m.Name)
	}
	if !slices.Equal(names, []string{"In Alpha", "Unknown workspace"}) {
		t.Errorf("models = %q", names)
	}
	want := []string{entropydata.PowerBIAssetID(model1), entropydata.PowerBIAssetID(model3), entropydata.PowerBIAssetID(model4)}
	if got := f.fetched(); !slices.Equal(got, want) {
		t.Errorf("fetched %q, want %q (not the model the list places in Beta)", got, want)
	}
}

func TestTables(t *testing.T) {
	m1 := entropydata.PowerBIAssetID(model1)
	stray := tableAsset(model1, "Stray", entropydata.PowerBIAssetID(model2), nil) // id says model1, parent says model2
	f := &fakeAPI{
		assets: []entropydata.Asset{
			modelAsset(model1, "M", wsA, "Alpha", ""),
			tableAsset(model1, "Zeta", m1, map[string]any{entropydata.CustomHidden: "true"},
				entropydata.AssetColumn{Name: "b", Type: "Int64", Custom: map[string]any{entropydata.CustomHidden: true}},
				entropydata.AssetColumn{Name: "a", Type: "String", Description: "first"}),
			tableAsset(model1, "Alpha", m1, map[string]any{entropydata.CustomHidden: false}),
			tableAsset(model1, "Deleted", m1, nil),
			stray,
			tableAsset(model2, "Other model", entropydata.PowerBIAssetID(model2), nil),
		},
		gone: map[string]bool{entropydata.PowerBITableAssetID(model1, "Deleted"): true},
	}
	m, err := f.reader(t).SemanticModel(context.Background(), m1)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Table{
		{AssetID: entropydata.PowerBITableAssetID(model1, "Alpha"), Name: "Alpha", Columns: []catalog.Column{}},
		{AssetID: entropydata.PowerBITableAssetID(model1, "Zeta"), Name: "Zeta", Hidden: true, Columns: []catalog.Column{
			{Name: "b", DataType: "Int64", Hidden: true}, {Name: "a", DataType: "String", Description: "first"},
		}},
	}
	if len(m.Tables) != len(want) {
		t.Fatalf("tables = %+v, want %+v", m.Tables, want)
	}
	for i := range want {
		if g, w := m.Tables[i], want[i]; g.AssetID != w.AssetID || g.Name != w.Name || g.Hidden != w.Hidden || !slices.Equal(g.Columns, w.Columns) {
			t.Errorf("table %d = %+v, want %+v", i, g, w)
		}
	}
	if slices.Contains(f.fetched(), entropydata.PowerBITableAssetID(model2, "Other model")) {
		t.Error("fetched a table of another model")
	}
}

// A list of models reads tables only when asked: without Query.Tables it
// fetches no table asset and leaves Tables empty, also when the model asset
// carries its schema.
func TestListTablesOnRequest(t *testing.T) {
	m1 := entropydata.PowerBIAssetID(model1)
	table := entropydata.PowerBITableAssetID(model1, "Facts")
	inline := modelAsset(model2, "Inline", wsA, "Alpha", "")
	inline.Columns = []entropydata.AssetColumn{{Name: "Sales", Type: entropydata.ColumnTypeTable}}
	assets := []entropydata.Asset{modelAsset(model1, "M", wsA, "Alpha", ""), tableAsset(model1, "Facts", m1, nil), inline}
	for _, withTables := range []bool{false, true} {
		f := &fakeAPI{assets: assets}
		got, err := f.reader(t).SemanticModels(context.Background(), catalog.Query{Tables: withTables})
		if err != nil || len(got) != 2 {
			t.Fatalf("SemanticModels = %+v, %v", got, err)
		}
		tables := len(got[0].Tables) + len(got[1].Tables)
		if fetched := slices.Contains(f.fetched(), table); fetched != withTables || (tables == 2) != withTables || (tables == 0) == withTables {
			t.Errorf("Tables %v: fetched the table asset: %v; %d tables", withTables, fetched, tables)
		}
	}
}

// A candidate deleted between the list and its GET is left out; other
// failures fail the lookup with the client's error.
func TestFetchFailures(t *testing.T) {
	assets := []entropydata.Asset{
		modelAsset(model1, "One", wsA, "Alpha", ""),
		modelAsset(model2, "Two", wsA, "Alpha", ""),
	}
	f := &fakeAPI{assets: assets, gone: map[string]bool{entropydata.PowerBIAssetID(model1): true}}
	got, err := f.reader(t).SemanticModels(context.Background(), catalog.Query{})
	if err != nil || len(got) != 1 || got[0].Name != "Two" {
		t.Errorf("SemanticModels = %+v, %v; want only Two", got, err)
	}

	f = &fakeAPI{assets: assets, failGet: map[string]int{entropydata.PowerBIAssetID(model2): http.StatusInternalServerError}}
	_, err = f.reader(t).SemanticModels(context.Background(), catalog.Query{})
	var apiErr *entropydata.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Object != entropydata.PowerBIAssetID(model2) {
		t.Errorf("err = %v, want the 500 of the GET of model 2", err)
	}

	f = &fakeAPI{assets: assets, failList: http.StatusForbidden}
	if _, err := f.reader(t).Reports(context.Background(), catalog.Query{}); !errors.Is(err, entropydata.ErrForbidden) {
		t.Errorf("err = %v, want the list's 403", err)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	var assets []entropydata.Asset
	for i := range 40 {
		guid := "bbbbbbbb-0000-4000-8000-0000000000" + string(rune('a'+i/10)) + string(rune('0'+i%10))
		assets = append(assets, modelAsset(guid, "M", wsA, "Alpha", ""))
	}
	for _, n := range []int{1, 3, catalog.DefaultConcurrency} {
		f := &fakeAPI{assets: assets, delay: 2 * time.Millisecond}
		var opts []catalog.Option
		if n != catalog.DefaultConcurrency {
			opts = append(opts, catalog.WithConcurrency(n))
		}
		got, err := f.reader(t, opts...).SemanticModels(context.Background(), catalog.Query{})
		if err != nil || len(got) != 40 {
			t.Fatalf("SemanticModels = %d models, %v", len(got), err)
		}
		if m := f.maxIn.Load(); m > int32(n) || (n > 1 && m < 2) {
			t.Errorf("concurrency %d: %d requests in flight at most", n, m)
		}
	}
}

// Reports without a "uses" relationship still name their model through
// custom.semanticModelId; the list's model names spare a GET.
func TestReportModelFromCustom(t *testing.T) {
	model := modelAsset(model1, "Listed Model", wsA, "Alpha", "")
	report := entropydata.Asset{
		ID:     "powerbi-cccccccc-0000-4000-8000-000000000001",
		Info:   entropydata.AssetInfo{Type: entropydata.AssetTypePowerBIReport, Name: "R"},
		Custom: map[string]any{entropydata.CustomSemanticModelID: strings.ToUpper(model1), entropydata.CustomReportType: "PowerBIReport"},
	}
	f := &fakeAPI{assets: []entropydata.Asset{model, report}}
	got, err := f.reader(t).Reports(context.Background(), catalog.Query{})
	if err != nil || len(got) != 1 {
		t.Fatalf("Reports = %+v, %v", got, err)
	}
	if got[0].SemanticModelAssetID != model.ID || got[0].SemanticModelName != "Listed Model" || got[0].PowerBIID != "cccccccc-0000-4000-8000-000000000001" {
		t.Errorf("report = %+v", got[0])
	}
	if fetched := f.fetched(); !slices.Equal(fetched, []string{report.ID}) {
		t.Errorf("fetched %q, want only the report", fetched)
	}
}

func TestQueryString(t *testing.T) {
	if s := (catalog.Query{}).String(); s != "no filters" {
		t.Errorf("empty query = %q", s)
	}
	if s := (catalog.Query{Integration: "i", Workspace: "W*", Name: "N"}).String(); s != `name "N", workspace "W*", integration "i"` {
		t.Errorf("query = %q", s)
	}
}
