package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// A server whose data product list carries the assets (the spec allows
// either) is not asked for each data product; each referenced asset is read
// once, at most guardConcurrency at a time, and only the integration's own
// assets count.
func TestUsedAssetsReadsWhatTheListLeftOut(t *testing.T) {
	const n = 40
	var (
		mu       sync.Mutex
		counts   = map[string]int{}
		inFlight atomic.Int32
		maxSeen  atomic.Int32
	)
	release := make(chan struct{})
	var releaseOnce sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		if strings.HasPrefix(r.URL.Path, "/api/assets/") {
			route = "GET /api/assets/{id}"
		}
		mu.Lock()
		counts[route]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/dataproducts" && r.URL.Query().Get("archetype") == entropydata.DataProductTypePowerBISemanticModel:
			var items []map[string]any
			for i := range n {
				items = append(items, map[string]any{
					"dataProductSpecification": "0.0.1", "id": fmt.Sprintf("dp-%d", i),
					"info":   map[string]any{"title": "DP", "owner": "finance", "archetype": entropydata.DataProductTypePowerBISemanticModel},
					"assets": []map[string]any{{"assetId": fmt.Sprintf("powerbi-model-%d", i%(n/2))}}, // two per model
				})
			}
			_ = json.NewEncoder(w).Encode(items)
		case r.URL.Path == "/api/dataproducts":
			_, _ = w.Write([]byte("[]"))
		case strings.HasPrefix(r.URL.Path, "/api/assets/"):
			cur := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				old := maxSeen.Load()
				if cur <= old || maxSeen.CompareAndSwap(old, cur) {
					break
				}
			}
			if cur == guardConcurrency {
				releaseOnce.Do(func() { close(release) }) // all slots taken: let them finish
			}
			<-release
			id := strings.TrimPrefix(r.URL.Path, "/api/assets/")
			integration := "finance"
			if strings.HasSuffix(id, "-0") {
				integration = "another"
			}
			_ = json.NewEncoder(w).Encode(map[string]any{
				"id":     id,
				"info":   map[string]any{"type": entropydata.AssetTypePowerBISemanticModel, "name": id, "source": "powerbi"},
				"custom": map[string]any{entropydata.CustomIntegration: integration},
			})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	client, err := entropydata.New(entropydata.Config{Host: srv.URL, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	used, err := usedAssets(context.Background(), client, "finance")
	if err != nil {
		t.Fatal(err)
	}
	if len(used) != n-2 { // the two data products on powerbi-model-0 use another integration's asset
		t.Errorf("%d used assets, want %d", len(used), n-2)
	}
	if got := counts["GET /api/assets/{id}"]; got != n/2 {
		t.Errorf("%d asset reads, want %d (one per asset)", got, n/2)
	}
	for route, c := range counts {
		if strings.HasPrefix(route, "GET /api/dataproducts/") {
			t.Errorf("%s read %d times although the list named its assets", route, c)
		}
	}
	if m := maxSeen.Load(); m != guardConcurrency {
		t.Errorf("at most %d asset reads at a time, want %d", m, guardConcurrency)
	}
}
