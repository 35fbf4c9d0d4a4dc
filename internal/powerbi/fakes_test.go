package powerbi

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
	"time"
)

// Test doubles shared by the tests of this package. They state the wire
// facts the client relies on in our own words; nothing is read from outside
// the package.

const (
	testTenant = "11111111-2222-3333-4444-555555555555"
	testClient = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	testSecret = "s3cr3t~VALUE-never-printed"
)

// fakeEntra is a minimal Entra ID: OpenID discovery plus the
// client-credentials token endpoint, with Entra's error bodies.
type fakeEntra struct {
	srv *httptest.Server

	tenants        map[string]bool
	secrets        map[string]string // client id -> secret
	expiredSecrets map[string]bool   // secrets that exist but have expired
	expiresIn      int

	discoveries atomic.Int32
	tokenPosts  atomic.Int32
	lastForm    atomic.Value // url.Values of the last token POST
}

func newFakeEntra(t *testing.T) *fakeEntra {
	t.Helper()
	fe := &fakeEntra{
		tenants:        map[string]bool{testTenant: true},
		secrets:        map[string]string{testClient: testSecret},
		expiredSecrets: map[string]bool{},
		expiresIn:      3599,
	}
	fe.srv = httptest.NewTLSServer(http.HandlerFunc(fe.serve))
	t.Cleanup(fe.srv.Close)
	return fe
}

func (fe *fakeEntra) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	tenant, rest := parts[0], "/"+parts[1]
	switch {
	case r.Method == http.MethodGet && rest == "/v2.0/.well-known/openid-configuration":
		fe.discoveries.Add(1)
		if !fe.tenants[tenant] {
			entraError(w, 400, "invalid_tenant", 90002, fmt.Sprintf("AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant))
			return
		}
		base := fe.srv.URL + "/" + tenant
		writeJSON(w, 200, map[string]any{
			"issuer":                 base + "/v2.0",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"token_endpoint":         base + "/oauth2/v2.0/token",
		})
	case r.Method == http.MethodPost && rest == "/oauth2/v2.0/token":
		fe.tokenPosts.Add(1)
		if err := r.ParseForm(); err != nil {
			entraError(w, 400, "invalid_request", 900144, "AADSTS900144: bad form")
			return
		}
		fe.lastForm.Store(r.PostForm)
		client, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		want, known := fe.secrets[client]
		switch {
		case r.PostForm.Get("grant_type") != "client_credentials":
			entraError(w, 400, "unsupported_grant_type", 70003, "AADSTS70003: unsupported grant type")
		case !known:
			entraError(w, 400, "unauthorized_client", 700016, fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory '%s'.", client, tenant))
		case secret != want:
			entraError(w, 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
		case fe.expiredSecrets[secret]:
			entraError(w, 401, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app are expired.")
		case !strings.Contains(r.PostForm.Get("scope"), "/.default"):
			entraError(w, 400, "invalid_scope", 1002012, "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.")
		default:
			// Entra's v2 client-credentials answer carries no "scope".
			writeJSON(w, 200, map[string]any{
				"token_type":     "Bearer",
				"expires_in":     fe.expiresIn,
				"ext_expires_in": fe.expiresIn,
				"access_token":   fmt.Sprintf("token-%d", fe.tokenPosts.Load()),
			})
		}
	default:
		http.NotFound(w, r)
	}
}

func entraError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": desc + "\r\nTrace ID: 0000\r\nCorrelation ID: corr-42\r\nTimestamp: 2026-01-01 00:00:00Z",
		"error_codes":       []int{aadsts},
		"timestamp":         "2026-01-01 00:00:00Z",
		"trace_id":          "0000",
		"correlation_id":    "corr-42",
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// pbiError writes Power BI's error body shape.
func pbiError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("RequestId", "req-"+code)
	body := map[string]any{"code": code, "pbi.error": map[string]any{"code": code, "parameters": map[string]any{}, "details": []any{}}}
	if message != "" {
		body["message"] = message
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// staticTokens is a TokenProvider returning a fixed token, or scripted errors
// first.
type staticTokens struct {
	mu    sync.Mutex
	errs  []error
	calls int
}

func (s *staticTokens) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		return "", err
	}
	return "test-token", nil
}

// fakeClock replaces real waiting: Sleep records the duration and moves
// Now forward, so retry and polling tests run instantly and deterministically.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// newTestClient serves h under /v1.0/myorg on a plain-http test server and
// returns a client wired to a fake clock.
func newTestClient(t *testing.T, h http.Handler, tweak func(*ClientConfig)) (*Client, *fakeClock) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	clock := newFakeClock()
	cfg := ClientConfig{
		Endpoint:         srv.URL + "/v1.0/myorg",
		Tokens:           &staticTokens{},
		HTTPClient:       srv.Client(),
		RetryWaitMin:     100 * time.Millisecond,
		RetryWaitMax:     time.Second,
		ScanPollInterval: 2 * time.Second,
		Sleep:            clock.Sleep,
		Now:              clock.Now,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, clock
}
