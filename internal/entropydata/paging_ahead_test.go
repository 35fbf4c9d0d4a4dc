package entropydata

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// numberedPages answers GET /api/assets with pages 0..last of three assets
// each ("p<page>-<i>"), linking each page but the last to the next one.
// Pages beyond the last answer ghost assets and a next link of their own,
// which a walk that trusted its guesses instead of the Link header would
// return.
func numberedPages(last int) func(w http.ResponseWriter, r *http.Request, n int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		page := 0
		if p := r.URL.Query().Get("p"); p != "" {
			page, _ = strconv.Atoi(p)
		}
		if page > last {
			w.Header().Set("Link", fmt.Sprintf(`</api/assets?p=%d>; rel="next"`, page+1))
			writeJSON(w, 200, fmt.Sprintf(`[{"id":"ghost%d","info":{}}]`, page))
			return
		}
		if page < last {
			w.Header().Set("Link", fmt.Sprintf(`</api/assets?p=%d>; rel="next"`, page+1))
		}
		writeJSON(w, 200, fmt.Sprintf(`[{"id":"p%[1]d-0","info":{}},{"id":"p%[1]d-1","info":{}},{"id":"p%[1]d-2","info":{}}]`, page))
	}
}

func assetIDs(assets []Asset) []string {
	ids := []string{}
	for _, a := range assets {
		ids = append(ids, a.ID)
	}
	return ids
}

// walkIDs walks the asset list with the given number of pages in flight.
func walkIDs(c *Client, ahead int) ([]string, error) {
	ids := []string{}
	err := walkPagesAhead(context.Background(), c, listAssetsCall(), ahead, func(page []Asset) bool {
		ids = append(ids, assetIDs(page)...)
		return true
	})
	return ids, err
}

func TestPagingAheadMatchesSequentialPaging(t *testing.T) {
	for _, last := range []int{0, 1, 3, 4, 5, 9} {
		srv := newServer(t, numberedPages(last))
		c, _ := newClient(t, srv.URL)
		sequential, err := walkIDs(c, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(sequential) != 3*(last+1) || strings.Contains(strings.Join(sequential, ","), "ghost") {
			t.Fatalf("last page %d: sequential paging returned %v", last, sequential)
		}
		for _, ahead := range []int{2, 3, AssetPagesAhead, 16} {
			got, err := walkIDs(c, ahead)
			if err != nil {
				t.Fatalf("last page %d, %d ahead: %v", last, ahead, err)
			}
			if !reflect.DeepEqual(got, sequential) {
				t.Errorf("last page %d, %d ahead: %v, want %v", last, ahead, got, sequential)
			}
		}
		all, err := c.ListAssets(context.Background())
		if err != nil || !reflect.DeepEqual(assetIDs(all), sequential) {
			t.Errorf("last page %d: ListAssets = %v, %v; want %v", last, assetIDs(all), err, sequential)
		}
	}
}

func TestPagingAheadIgnoresFailuresBeyondTheLastPage(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if p, _ := strconv.Atoi(r.URL.Query().Get("p")); p > 1 {
			writeJSON(w, 400, `{"title":"no such page"}`)
			return
		}
		numberedPages(1)(w, r, n)
	})
	c, _ := newClient(t, srv.URL)
	assets, err := c.ListAssets(context.Background())
	if err != nil {
		t.Fatalf("a page requested ahead beyond the last failed the walk: %v", err)
	}
	if want := []string{"p0-0", "p0-1", "p0-2", "p1-0", "p1-1", "p1-2"}; !reflect.DeepEqual(assetIDs(assets), want) {
		t.Errorf("ids = %v, want %v", assetIDs(assets), want)
	}
}

func TestPagingAheadSurfacesAnErrorOnAnyPage(t *testing.T) {
	const last = 6
	for failing := 0; failing <= last; failing++ {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if p, _ := strconv.Atoi(r.URL.Query().Get("p")); p == failing {
				writeJSON(w, 403, `{"title":"Forbidden","detail":"page `+strconv.Itoa(p)+` denied"}`)
				return
			}
			numberedPages(last)(w, r, n)
		})
		c, _ := newClient(t, srv.URL)
		var seen []string
		err := c.WalkAssets(context.Background(), func(a Asset) bool {
			seen = append(seen, a.ID)
			return true
		})
		if err == nil || !strings.Contains(err.Error(), "list assets") || !strings.Contains(err.Error(), fmt.Sprintf("page %d denied", failing)) {
			t.Errorf("page %d failing: error = %v", failing, err)
		}
		// The pages before the failing one are handed on, none after it.
		if len(seen) != 3*failing {
			t.Errorf("page %d failing: saw %v", failing, seen)
		}
	}
}

func TestPagingAheadFollowsALinkThatSkipsPages(t *testing.T) {
	// The server numbers its pages 0, 2, 4: every guess of p+1 is wrong.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		page, _ := strconv.Atoi(r.URL.Query().Get("p"))
		if page%2 == 1 || page > 4 {
			writeJSON(w, 200, `[{"id":"wrong`+strconv.Itoa(page)+`","info":{}}]`)
			return
		}
		if page < 4 {
			w.Header().Set("Link", fmt.Sprintf(`</api/assets?p=%d>; rel="next"`, page+2))
		}
		writeJSON(w, 200, `[{"id":"p`+strconv.Itoa(page)+`","info":{}}]`)
	})
	c, _ := newClient(t, srv.URL)
	assets, err := c.ListAssets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"p0", "p2", "p4"}; !reflect.DeepEqual(assetIDs(assets), want) {
		t.Errorf("ids = %v, want %v", assetIDs(assets), want)
	}
}

func TestPagingAheadKeepsTheLinkProtections(t *testing.T) {
	t.Run("repeated next link", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Link", `</api/assets?p=1>; rel="next"`) // forever the same
			writeJSON(w, 200, `[]`)
		})
		c, _ := newClient(t, srv.URL)
		_, err := c.ListAssets(context.Background())
		if err == nil || !strings.Contains(err.Error(), "list assets: the server announced page 1 as the next page after page 1; stopping to avoid a loop") {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		srv := newServer(t, numberedPages(1000))
		c, _ := newClient(t, srv.URL)
		c.maxPages = 5
		_, err := c.ListAssets(context.Background())
		if err == nil || !strings.Contains(err.Error(), "list assets: stopped after 5 pages") {
			t.Fatalf("error = %v", err)
		}
		// Requests ahead never go beyond the pages maxPages allows.
		for _, r := range srv.requests() {
			if p, _ := strconv.Atoi(r.Query.Get("p")); p >= 5 {
				t.Errorf("requested p=%d with maxPages 5", p)
			}
		}
	})
	t.Run("next link without p", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Link", `</api/assets?page=2>; rel="next"`)
			writeJSON(w, 200, `[]`)
		})
		c, _ := newClient(t, srv.URL)
		if _, err := c.ListAssets(context.Background()); err == nil || !strings.Contains(err.Error(), "page parameter p") {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("only p is taken from the link", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if r.URL.Query().Get("p") == "" {
				w.Header().Set("Link", `<https://evil.example/elsewhere?p=1&type=x>; rel="next"`)
			}
			writeJSON(w, 200, `[]`)
		})
		c, _ := newClient(t, srv.URL)
		if _, err := c.ListAssets(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := srv.requests()
		if len(reqs) < 2 {
			t.Fatalf("%d requests, want the next page too", len(reqs))
		}
		for _, r := range reqs {
			if r.Path != "/api/assets" || r.Query.Has("type") {
				t.Errorf("request %s?%s took more than p from the link", r.Path, r.Query.Encode())
			}
		}
	})
}

// latencyServer answers numberedPages(last) after a delay and records the
// most requests it saw in flight at once.
func latencyServer(t *testing.T, last int) (*server, func() int) {
	var (
		mu                  sync.Mutex
		inFlight, maxFlight int
	)
	handle := numberedPages(last)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		mu.Lock()
		inFlight++
		maxFlight = max(maxFlight, inFlight)
		mu.Unlock()
		time.Sleep(50 * time.Millisecond) // the server's latency; nothing is timed
		mu.Lock()
		inFlight--
		mu.Unlock()
		handle(w, r, n)
	})
	return srv, func() int {
		mu.Lock()
		defer mu.Unlock()
		return maxFlight
	}
}

func TestPagingAheadRequestsPagesConcurrently(t *testing.T) {
	const last = 8
	srv, maxInFlight := latencyServer(t, last)
	c, _ := newClient(t, srv.URL)
	assets, err := c.ListAssets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(assets) != 3*(last+1) {
		t.Errorf("%d assets, want %d", len(assets), 3*(last+1))
	}
	if n := maxInFlight(); n < 2 || n > AssetPagesAhead {
		t.Errorf("at most %d requests were in flight at once; want between 2 and %d", n, AssetPagesAhead)
	}

	// The same server read sequentially never overlaps requests.
	srv, maxInFlight = latencyServer(t, last)
	c, _ = newClient(t, srv.URL)
	if _, err := walkIDs(c, 1); err != nil || maxInFlight() != 1 {
		t.Errorf("sequential paging: %d in flight at once, error %v; want 1", maxInFlight(), err)
	}
}
