package entropyapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		header map[string]string
		path   string
		want   int
	}{
		{"x-api-key", map[string]string{"x-api-key": orgKey}, "/api/teams", 200},
		{"bearer", map[string]string{"Authorization": "Bearer " + orgKey}, "/api/teams", 200},
		{"bearer scheme is case-insensitive", map[string]string{"Authorization": "bearer " + financeKey}, "/api/teams", 200},
		{"missing key", nil, "/api/teams", 403},
		{"unknown x-api-key", map[string]string{"x-api-key": "nope"}, "/api/teams", 403},
		{"unknown bearer", map[string]string{"Authorization": "Bearer nope"}, "/api/teams", 403},
		{"basic auth is not a key", map[string]string{"Authorization": "Basic " + orgKey}, "/api/teams", 403},
		{"bad key before routing", map[string]string{"x-api-key": "nope"}, "/api/no-such-thing", 403},
		{"bad key on integrations", nil, "/api/integrations", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", h.ts.URL+tc.path, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			res, err := h.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.want)
			}
			if tc.want == 403 {
				r := &response{status: res.StatusCode, header: res.Header, path: tc.path}
				r.body, _ = io.ReadAll(res.Body)
				r.problem(t, 403, "The API key was not found or not the expected value.")
			}
		})
	}

	t.Run("no keys configured", func(t *testing.T) {
		h := newHarness(t, Options{APIKeys: map[string]Principal{}})
		h.do("GET", "/api/teams", nil).problem(t, 403)
	})
}

func TestRoutingErrors(t *testing.T) {
	h := newHarness(t, Options{})
	h.do("GET", "/api/no-such-thing", nil).problem(t, 404, "No endpoint GET /api/no-such-thing")
	h.do("GET", "/somewhere", nil).problem(t, 404)
	h.do("GET", "/api/teams/", nil).problem(t, 404)

	r := h.do("DELETE", "/api/teams", nil)
	r.problem(t, 405, "DELETE")
	if got := r.header.Get("Allow"); got != "GET" {
		t.Errorf("Allow = %q", got)
	}
	// The documented base has no PUT: writes live under /api/integrations/ingest.
	r2 := h.do("PUT", "/api/integrations/finance", powerBIBody("x", ""))
	r2.problem(t, 405)
	if got := r2.header.Get("Allow"); got != "GET" {
		t.Errorf("Allow = %q", got)
	}
	if got := h.do("PATCH", "/api/integrations/ingest/x", nil).problem(t, 405); got.Status != 405 {
		t.Fatal(got)
	}
}

func TestPaging(t *testing.T) {
	h := newHarness(t, Options{PageSize: 2})
	for i := range 5 {
		if err := h.srv.PutTeam(Team{ID: fmt.Sprintf("team-%d", i), Name: fmt.Sprintf("Team %d", i), Type: "Team"}); err != nil {
			t.Fatal(err)
		}
	}
	// An update keeps the creation position.
	if err := h.srv.PutTeam(Team{ID: "team-0", Name: "Renamed", Type: "Team"}); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(h.ts.URL, "http://")
	pages := []struct {
		p    string
		ids  []string
		link string
	}{
		{"", []string{"team-0", "team-1"}, `<http://` + host + `/api/teams?p=1>; rel="next"`},
		{"?p=1", []string{"team-2", "team-3"}, `<http://` + host + `/api/teams?p=2>; rel="next"`},
		{"?p=2", []string{"team-4"}, ""},
		{"?p=3", []string{}, ""},
	}
	for _, pg := range pages {
		r := h.do("GET", "/api/teams"+pg.p, nil).want(t, 200)
		items := r.array(t)
		var ids []string
		for _, it := range items {
			ids = append(ids, it["id"].(string))
		}
		if fmt.Sprint(ids) != fmt.Sprint(pg.ids) {
			t.Errorf("page %q: ids %v, want %v", pg.p, ids, pg.ids)
		}
		if got := r.header.Get("Link"); got != pg.link {
			t.Errorf("page %q: Link %q, want %q", pg.p, got, pg.link)
		}
	}
	if string(h.do("GET", "/api/teams?p=3", nil).body) != "[]\n" {
		t.Error("a page past the end must be an empty JSON array")
	}
	// Other query parameters survive in the next link.
	r := h.do("GET", "/api/assets?p=0", nil)
	if r.header.Get("Link") != "" {
		t.Error("no assets: no Link")
	}
	for _, bad := range []string{"-1", "x", "1.5"} {
		h.do("GET", "/api/teams?p="+bad, nil).problem(t, 400, "'p'")
	}

	t.Run("https and other parameters", func(t *testing.T) {
		s := New(Options{APIKeys: testKeys, PageSize: 2})
		ts := httptest.NewTLSServer(s)
		defer ts.Close()
		seedTeams(t, s)
		_ = s.PutTeam(Team{ID: "ops", Name: "Ops", Type: "Platform Team"})
		req, _ := http.NewRequest("GET", ts.URL+"/api/teams?email=", nil)
		req.Header.Set("Authorization", "Bearer "+orgKey)
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		want := `<https://` + strings.TrimPrefix(ts.URL, "https://") + `/api/teams?email=&p=1>; rel="next"`
		if got := res.Header.Get("Link"); got != want {
			t.Errorf("Link %q, want %q", got, want)
		}
	})
}

func TestRequestBodies(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/teams/finance", nil).problem(t, 400, "body is missing")
	p := h.do("PUT", "/api/teams/finance", `{"id":`).problem(t, 400)
	if fmt.Sprint(fields(p.Violations)) != "[body]" {
		t.Errorf("violations %v", p.Violations)
	}
	p = h.do("PUT", "/api/teams/finance", `{"id":"finance","name":42,"type":"Team"}`).problem(t, 400)
	if fmt.Sprint(fields(p.Violations)) != "[name]" {
		t.Errorf("violations %v", p.Violations)
	}
	h.do("PUT", "/api/teams/finance", `{"id":"finance","name":"F","type":"Team"} {}`).problem(t, 400)
	big := `{"id":"finance","name":"` + strings.Repeat("x", maxBody) + `","type":"Team"}`
	h.do("PUT", "/api/teams/finance", big).problem(t, 413)
}
