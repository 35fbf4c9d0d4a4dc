package entropydata

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestNewValidatesConfig(t *testing.T) {
	for _, tc := range []struct {
		name, host, key, wantErr string
	}{
		{"empty host", "", "k", "host is empty"},
		{"unparsable host", "https://exa mple.com/%zz", "k", "not a valid URL"},
		{"relative host", "api.entropy-data.com", "k", "absolute http(s) URL"},
		{"wrong scheme", "ftp://api.entropy-data.com", "k", "absolute http(s) URL"},
		{"query in host", "https://api.entropy-data.com?x=1", "k", "query"},
		{"empty key", "https://api.entropy-data.com", "  ", "API key is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Config{Host: tc.host, APIKey: tc.key})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("New() error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestNewBuildsAPIBase(t *testing.T) {
	for host, want := range map[string]string{
		"https://api.entropy-data.com":           "https://api.entropy-data.com/api",
		"https://api.entropy-data.com/":          "https://api.entropy-data.com/api",
		"https://demo.entropy-data.com/api":      "https://demo.entropy-data.com/api", // docs' form tolerated
		"https://demo.entropy-data.com/api/":     "https://demo.entropy-data.com/api",
		"http://localhost:8080/entropy":          "http://localhost:8080/entropy/api",
		"  https://api.entropy-data.com/ \n":     "https://api.entropy-data.com/api",
		"https://self-hosted.example/prefix/api": "https://self-hosted.example/prefix/api",
	} {
		c, err := New(Config{Host: host, APIKey: "k"})
		if err != nil {
			t.Fatalf("New(%q): %v", host, err)
		}
		if c.apiBase != want {
			t.Errorf("New(%q).apiBase = %q, want %q", host, c.apiBase, want)
		}
	}
	c, _ := New(Config{Host: "https://x", APIKey: "k"})
	if c.timeout != DefaultRequestTimeout || c.waitMin != DefaultRetryWaitMin || c.waitMax != DefaultRetryWaitMax ||
		c.maxRetries != 0 || c.userAgent != DefaultUserAgent || c.httpClient == nil {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestHeadersOnEveryRequest(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodGet {
			writeJSON(w, 200, `{"id":"a1","info":{}}`)
			return
		}
		w.WriteHeader(200)
	})
	c, _ := newClient(t, srv.URL+"/") // trailing slash tolerated
	ctx := context.Background()
	if _, err := c.GetAsset(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if err := c.PutAsset(ctx, Asset{ID: "a1"}); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelRun(ctx, "i1"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if got := r.Header.Get("x-api-key"); got != testAPIKey {
			t.Errorf("%s %s: x-api-key = %q", r.Method, r.Path, got)
		}
		if got := r.Header.Get("User-Agent"); got != "terraform-provider-entropydata/test" {
			t.Errorf("%s %s: User-Agent = %q", r.Method, r.Path, got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept = %q", r.Method, r.Path, got)
		}
		if !strings.HasPrefix(r.Path, "/api/") || strings.Contains(r.Path, "//") {
			t.Errorf("path %q not under /api/", r.Path)
		}
	}
	if got := reqs[1].Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("PUT Content-Type = %q, want application/json", got)
	}
	if got := reqs[0].Header.Get("Content-Type"); got != "" {
		t.Errorf("GET without body sent Content-Type %q", got)
	}
	if reqs[2].Method != http.MethodPost || len(reqs[2].Body) != 0 {
		t.Errorf("cancel run: %s with body %q, want POST without body", reqs[2].Method, reqs[2].Body)
	}
}

func TestPathSegmentsAreEscaped(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"id":"x","info":{}}`)
	})
	c, _ := newClient(t, srv.URL)
	if _, err := c.GetAsset(context.Background(), "a/b c?d#e%f"); err != nil {
		t.Fatal(err)
	}
	got := srv.requests()[0]
	if got.RawPath != "/api/assets/a%2Fb%20c%3Fd%23e%25f" {
		t.Errorf("escaped path = %q", got.RawPath)
	}
	if len(got.Query) != 0 {
		t.Errorf("id leaked into the query: %v", got.Query)
	}
}

func TestInvalidIDsAreRejectedWithoutARequest(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		if _, err := c.GetIntegration(ctx, id); err == nil || !strings.Contains(err.Error(), "get integration") {
			t.Errorf("GetIntegration(%q) error = %v, want a descriptive error", id, err)
		}
		if err := c.DeleteAsset(ctx, id); err == nil {
			t.Errorf("DeleteAsset(%q) succeeded", id)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("sent %d requests for invalid ids", n)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, `[]`) })
	c, _ := newClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.ListIntegrations(ctx, ListIntegrationsOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("sent %d requests with a cancelled context", n)
	}
}

func TestSuccessBodyProblems(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/api/integrations/empty":
			w.WriteHeader(200)
		default:
			writeJSON(w, 200, `{"externalId": 42}`)
		}
	})
	c, _ := newClient(t, srv.URL)
	if _, err := c.GetIntegration(context.Background(), "empty"); err == nil || !strings.Contains(err.Error(), "empty body") {
		t.Errorf("empty 200 body: error = %v", err)
	}
	if _, err := c.GetIntegration(context.Background(), "bad"); err == nil || !strings.Contains(err.Error(), `get integration "bad": decoding the response`) {
		t.Errorf("bad 200 body: error = %v", err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("decode errors were retried: %d requests", n)
	}
}

// Terraform calls the provider for up to -parallelism (10 by default)
// resources at once; each needs its own kept-alive connection, or every
// request pays a new TLS handshake.
func TestDefaultClientKeepsAConnectionPerParallelRequest(t *testing.T) {
	c, err := New(Config{Host: "https://example.com", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.httpClient.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T, want *http.Transport", c.httpClient.Transport)
	}
	if tr.MaxIdleConnsPerHost < 10 {
		t.Errorf("MaxIdleConnsPerHost = %d, want at least Terraform's default parallelism of 10", tr.MaxIdleConnsPerHost)
	}
	if tr.Proxy == nil {
		t.Error("the default client ignores proxy settings from the environment")
	}
}
