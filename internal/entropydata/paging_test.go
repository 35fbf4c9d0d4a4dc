package entropydata

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// assetPages answers GET /api/assets with three pages of two assets, linked
// the way the API documents it (p is 0-based, Link rel="next" while more
// pages exist), with extra links in the header to exercise the parser.
func assetPages(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query().Get("p")
	page := map[string]int{"": 0, "0": 0, "1": 1, "2": 2}[p]
	base := "http://" + r.Host + "/api/assets"
	switch page {
	case 0:
		w.Header().Set("Link", fmt.Sprintf(`<%s?p=1>; rel="next", <%s?p=2>; rel="last"`, base, base))
	case 1:
		// Two header lines, and a comma inside a quoted parameter.
		w.Header().Add("Link", fmt.Sprintf(`<%s?p=0>; rel="prev"; title="first, page"`, base))
		w.Header().Add("Link", fmt.Sprintf(`<%s?p=2>; REL="last next"`, base))
	}
	writeJSON(w, 200, fmt.Sprintf(`[{"id":"a%d","info":{"type":"powerbi_report"}},{"id":"a%d","info":{}}]`, 2*page, 2*page+1))
}

func TestListAssetsFollowsThreePages(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { assetPages(w, r) })
	c, _ := newClient(t, srv.URL)
	assets, err := c.ListAssets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range assets {
		ids = append(ids, a.ID)
	}
	if want := []string{"a0", "a1", "a2", "a3", "a4", "a5"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	ps := map[string]bool{}
	for _, r := range srv.requests() {
		if r.Path != "/api/assets" {
			t.Errorf("path %q", r.Path)
		}
		ps[strings.Join(r.Query["p"], ",")] = true
	}
	// Pages beyond the last may be requested ahead; the three real ones must be.
	if !ps[""] || !ps["1"] || !ps["2"] || ps["0"] {
		t.Errorf("p requested = %v, want at least \"\", 1 and 2 and never an explicit 0", ps)
	}
}

func TestWalkAssetsStopsEarly(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { assetPages(w, r) })
	c, _ := newClient(t, srv.URL)
	var visited []string
	err := c.WalkAssets(context.Background(), func(a Asset) bool {
		visited = append(visited, a.ID)
		return a.ID != "a2" // found it
	})
	if err != nil {
		t.Fatal(err)
	}
	// Pages requested ahead may have been fetched, but none is handed on.
	if !reflect.DeepEqual(visited, []string{"a0", "a1", "a2"}) {
		t.Errorf("visited %v; want a0..a2", visited)
	}
	if n := len(srv.requests()); n > 2+AssetPagesAhead-1 {
		t.Errorf("%d requests; want at most the two pages read and %d ahead", n, AssetPagesAhead-1)
	}
}

func TestPagingKeepsFiltersAndIgnoresLinkHost(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			// A next link to another host must not receive the API key.
			w.Header().Set("Link", `<https://evil.example/api/dataproducts?p=1>; rel="next"`)
		}
		writeJSON(w, 200, `[{"dataProductSpecification":"0.0.1","id":"dp`+fmt.Sprint(n)+`","info":{"title":"T","owner":"o"}}]`)
	})
	c, _ := newClient(t, srv.URL)
	dps, err := c.ListDataProducts(context.Background(), ListDataProductsOptions{Archetype: "powerbi-report", TeamID: "finance", Status: "active"})
	if err != nil || len(dps) != 2 {
		t.Fatalf("ListDataProducts = %v, %v", dps, err)
	}
	reqs := srv.requests()
	for i, r := range reqs {
		if r.Query.Get("archetype") != "powerbi-report" || r.Query.Get("teamId") != "finance" || r.Query.Get("status") != "active" {
			t.Errorf("request %d lost its filters: %v", i, r.Query)
		}
	}
	if reqs[1].Query.Get("p") != "1" {
		t.Errorf("second request p = %q", reqs[1].Query.Get("p"))
	}
}

func TestPagingStopsOnARepeatedNextLink(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Link", `</api/teams?p=1>; rel="next"`) // forever the same
		writeJSON(w, 200, `[{"id":"t","name":"T","type":"Team"}]`)
	})
	c, _ := newClient(t, srv.URL)
	_, err := c.ListTeams(context.Background())
	if err == nil || !strings.Contains(err.Error(), "list teams") || !strings.Contains(err.Error(), "loop") {
		t.Fatalf("error = %v", err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestPagingIsBounded(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Link", fmt.Sprintf(`</api/teams?p=%d>; rel="next"`, n)) // always one more
		writeJSON(w, 200, `[]`)
	})
	c, _ := newClient(t, srv.URL)
	c.maxPages = 5
	_, err := c.ListTeams(context.Background())
	if err == nil || !strings.Contains(err.Error(), "stopped after 5 pages") {
		t.Fatalf("error = %v", err)
	}
	if n := len(srv.requests()); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

func TestPagingRejectsANextLinkWithoutP(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Link", `</api/access?page=2>; rel="next"`)
		writeJSON(w, 200, `[]`)
	})
	c, _ := newClient(t, srv.URL)
	if _, err := c.ListAccess(context.Background(), ListAccessOptions{}); err == nil || !strings.Contains(err.Error(), "page parameter p") {
		t.Fatalf("error = %v", err)
	}
}

func TestFindLink(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []string
		want   string
	}{
		{"simple", []string{`<https://api.entropy-data.com/api/teams?p=1>; rel="next"`}, "https://api.entropy-data.com/api/teams?p=1"},
		{"unquoted rel", []string{`</api/teams?p=3>;rel=next`}, "/api/teams?p=3"},
		{"several links", []string{`<a?p=0>; rel="prev", <b?p=2>; rel="next", <c?p=9>; rel="last"`}, "b?p=2"},
		{"rel list, upper case", []string{`<x?p=4>; REL="Last NEXT"`}, "x?p=4"},
		{"comma in target", []string{`<x?p=0&q=a,b>; rel="prev", <y?p=5&q=a,b>; rel="next"`}, "y?p=5&q=a,b"},
		{"quoted comma and semicolon", []string{`<x?p=0>; title="a, b; rel=next"; rel="prev", <y?p=6>; rel="next"`}, "y?p=6"},
		{"second header value", []string{`<x?p=0>; rel="prev"`, `<y?p=7>; rel="next"`}, "y?p=7"},
		{"first rel wins", []string{`<x?p=8>; rel="prev"; rel="next"`}, ""},
		{"no next", []string{`<x?p=0>; rel="prev"`}, ""},
		{"garbage", []string{`rel="next"`, `<unterminated; rel="next"`}, ""},
		{"none", nil, ""},
	} {
		got, ok := findLink(tc.values, "next")
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: findLink = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
}
