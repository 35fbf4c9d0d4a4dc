package catalog_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// DataProducts reads in full only the entries the caller finds incomplete,
// drops the entries Keep refuses before reading them, and leaves out a data
// product deleted between the list and the read.
func TestDataProductsReadsOnlyIncompleteEntries(t *testing.T) {
	var (
		mu    sync.Mutex
		reads []string
	)
	dp := func(id, archetype string, assets ...string) map[string]any {
		m := map[string]any{"dataProductSpecification": "0.0.1", "id": id,
			"info": map[string]any{"title": id, "owner": "finance", "archetype": archetype}}
		var refs []map[string]any
		for _, a := range assets {
			refs = append(refs, map[string]any{"assetId": a})
		}
		if refs != nil {
			m["assets"] = refs
		}
		return m
	}
	model, report := entropydata.DataProductTypePowerBISemanticModel, entropydata.DataProductTypePowerBIReport
	lists := map[string][]map[string]any{
		model:  {dp("listed-full", model, "a1"), dp("top-level-only", model), dp("gone", model), dp("skipped", model)},
		report: {dp("report-top-level", report)},
	}
	full := map[string]map[string]any{
		"top-level-only":   dp("top-level-only", model, "a2"),
		"report-top-level": dp("report-top-level", report, "a3"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/dataproducts" {
			_ = json.NewEncoder(w).Encode(lists[r.URL.Query().Get("archetype")])
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/api/dataproducts/")
		mu.Lock()
		reads = append(reads, id)
		mu.Unlock()
		if body, ok := full[id]; ok {
			_ = json.NewEncoder(w).Encode(body)
			return
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"title":"Not Found","status":404}`))
	}))
	defer srv.Close()
	client, err := entropydata.New(entropydata.Config{Host: srv.URL, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := catalog.New(client).DataProducts(context.Background(), catalog.ProductQuery{
		Archetypes: []string{model, report},
		Keep:       func(dp *entropydata.DataProduct) bool { return dp.ID != "skipped" },
		Complete:   func(dp *entropydata.DataProduct) bool { return len(catalog.AssetRefs(dp)) > 0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids, refs []string
	for _, dp := range got {
		ids = append(ids, dp.ID)
		refs = append(refs, catalog.AssetRefs(dp)...)
	}
	if want := []string{"listed-full", "top-level-only", "report-top-level"}; !slices.Equal(ids, want) {
		t.Errorf("data products %v, want %v (list order, without the deleted and the skipped one)", ids, want)
	}
	if want := []string{"a1", "a2", "a3"}; !slices.Equal(refs, want) {
		t.Errorf("asset refs %v, want %v", refs, want)
	}
	slices.Sort(reads)
	if want := []string{"gone", "report-top-level", "top-level-only"}; !slices.Equal(reads, want) {
		t.Errorf("read in full %v, want %v", reads, want)
	}
}
