package entropydata

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// catalogServer answers the asset list (pages 0..2 of numberedPages), single
// assets, and 200 to any write.
func catalogServer(t *testing.T) *server {
	list := numberedPages(2)
	return newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.Method != http.MethodGet:
			writeJSON(w, 200, `{}`)
		case r.URL.Path == "/api/assets":
			list(w, r, n)
		default:
			id := strings.TrimPrefix(r.URL.Path, "/api/assets/")
			writeJSON(w, 200, `{"id":"`+id+`","info":{"type":"powerbi_semantic_model","name":"`+id+`"}}`)
		}
	})
}

// count returns how many requests had this method and a path starting with prefix.
func count(s *server, method, prefix string) int {
	n := 0
	for _, r := range s.requests() {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func sharing(c *Config) { c.ShareAssetReads = true }

func walkAll(t *testing.T, c *Client) []string {
	t.Helper()
	var ids []string
	if err := c.WalkAssets(context.Background(), func(a Asset) bool {
		ids = append(ids, a.ID)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func getAsset(t *testing.T, c *Client, id string) *Asset {
	t.Helper()
	a, err := c.GetAsset(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSharedReadsWalkTheListOnce(t *testing.T) {
	srv := catalogServer(t)
	c, _ := newClient(t, srv.URL, sharing)
	first := walkAll(t, c)
	if second := walkAll(t, c); !reflect.DeepEqual(first, second) || len(first) != 9 {
		t.Errorf("walks = %v and %v, want the same 9 assets", first, second)
	}
	// 3 pages and what was requested ahead of the last one, once.
	if pages := count(srv, http.MethodGet, "/api/assets"); pages < 3 || pages > 2+AssetPagesAhead {
		t.Errorf("%d page requests for two walks of 3 pages, want one walk's", pages)
	}
	// Single assets are fetched each time.
	getAsset(t, c, "m1")
	getAsset(t, c, "m1")
	if n := count(srv, http.MethodGet, "/api/assets/"); n != 2 {
		t.Errorf("%d requests for two reads of an asset, want 2", n)
	}
}

func TestSharedReadsJoinAWalkInFlight(t *testing.T) {
	srv := catalogServer(t)
	c, _ := newClient(t, srv.URL, sharing)
	var wg sync.WaitGroup
	results := make([][]string, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = walkAll(t, c)
		}()
	}
	wg.Wait()
	for _, r := range results[1:] {
		if !reflect.DeepEqual(r, results[0]) || len(r) != 9 {
			t.Fatalf("concurrent walks = %v, want the same 9 assets each", results)
		}
	}
	if pages := count(srv, http.MethodGet, "/api/assets"); pages > 2+AssetPagesAhead {
		t.Errorf("%d page requests for four concurrent walks of 3 pages, want one walk's", pages)
	}
}

func TestSharedReadsEndWithAWriteThatMayChangeAssets(t *testing.T) {
	writes := map[string]func(*Client) error{
		"asset write":       func(c *Client) error { return c.PutAsset(context.Background(), Asset{ID: "m1"}) },
		"integration write": func(c *Client) error { return c.DeleteIntegration(context.Background(), "x", false) },
		"run": func(c *Client) error {
			_, err := c.TriggerRun(context.Background(), "x")
			return err
		},
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) {
			srv := catalogServer(t)
			c, _ := newClient(t, srv.URL, sharing)
			walkAll(t, c)
			pagesBefore := count(srv, http.MethodGet, "/api/assets")
			if err := write(c); err != nil {
				t.Fatal(err)
			}
			walkAll(t, c)
			walkAll(t, c)
			if pages := count(srv, http.MethodGet, "/api/assets") - pagesBefore; pages < 3*2 {
				t.Errorf("%d page requests for two walks of 3 pages after the write, want each to read the list", pages)
			}
		})
	}
}

func TestSharedReadsKeepNothingOfAWalkStoppedEarly(t *testing.T) {
	srv := catalogServer(t)
	c, _ := newClient(t, srv.URL, sharing)
	var seen []string
	if err := c.WalkAssets(context.Background(), func(a Asset) bool {
		seen = append(seen, a.ID)
		return len(seen) < 2
	}); err != nil {
		t.Fatal(err)
	}
	if got := walkAll(t, c); len(got) != 9 {
		t.Errorf("a walk after one stopped early returned %v, want all 9 assets", got)
	}
}

func TestWithoutSharingEveryWalkReadsTheList(t *testing.T) {
	srv := catalogServer(t)
	c, _ := newClient(t, srv.URL)
	walkAll(t, c)
	walkAll(t, c)
	if pages := count(srv, http.MethodGet, "/api/assets"); pages < 2*3 {
		t.Errorf("%d page requests for two walks of 3 pages, want both to read the list", pages)
	}
}
