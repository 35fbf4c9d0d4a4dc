package powerbi

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func newTestTokenSource(t *testing.T, fe *fakeEntra, creds Credentials, scope string) *TokenSource {
	t.Helper()
	ts, err := NewTokenSource(TokenSourceConfig{
		AuthorityHost: fe.srv.URL,
		Credentials:   creds,
		HTTPClient:    fe.srv.Client(),
		Scope:         scope,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

var goodCreds = Credentials{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret}

func TestTokenSourceFetchesOnceThenServesFromCache(t *testing.T) {
	fe := newFakeEntra(t)
	ts := newTestTokenSource(t, fe, goodCreds, "")

	first, err := ts.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, err := ts.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if first == "" || first != second {
		t.Fatalf("tokens = %q, %q; want the same cached token", first, second)
	}
	if got := fe.discoveries.Load(); got != 1 {
		t.Errorf("discovery GETs = %d, want 1", got)
	}
	if got := fe.tokenPosts.Load(); got != 1 {
		t.Errorf("token POSTs = %d, want 1 (second call must come from MSAL's cache)", got)
	}
	form := fe.lastForm.Load().(url.Values)
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != testClient {
		t.Errorf("token form = %v", form)
	}
	if !strings.Contains(form.Get("scope"), PowerBIScope) {
		t.Errorf("scope = %q, want it to contain %q", form.Get("scope"), PowerBIScope)
	}
}

func TestTokenSourceConcurrentCallsSendOnePOST(t *testing.T) {
	fe := newFakeEntra(t)
	ts := newTestTokenSource(t, fe, goodCreds, "")

	var wg sync.WaitGroup
	tokens := make([]string, 16)
	for i := range tokens {
		wg.Go(func() {
			tok, err := ts.Token(context.Background())
			if err != nil {
				t.Error(err)
			}
			tokens[i] = tok
		})
	}
	wg.Wait()
	if got := fe.tokenPosts.Load(); got != 1 {
		t.Errorf("token POSTs = %d, want 1: concurrent calls must wait for the first", got)
	}
	for _, tok := range tokens {
		if tok != tokens[0] {
			t.Fatalf("tokens differ: %v", tokens)
		}
	}
}

func TestTokenSourceShortLivedTokensAreRefetched(t *testing.T) {
	// MSAL does not cache tokens that expire within five minutes.
	fe := newFakeEntra(t)
	fe.expiresIn = 120
	ts := newTestTokenSource(t, fe, goodCreds, "")
	for range 2 {
		if _, err := ts.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := fe.tokenPosts.Load(); got != 2 {
		t.Errorf("token POSTs = %d, want 2", got)
	}
}

func TestTokenSourceEntraErrorsBecomeAuthErrors(t *testing.T) {
	cases := []struct {
		name       string
		creds      Credentials
		scope      string
		expire     bool
		status     int
		code       string
		aadsts     int
		discovery  bool
		mustSay    []string
		tokenPosts int32
	}{
		{
			name:   "wrong secret",
			creds:  Credentials{TenantID: testTenant, ClientID: testClient, ClientSecret: "the-secret-ID-not-the-value"},
			status: 401, code: "invalid_client", aadsts: 7000215, tokenPosts: 1,
			mustSay: []string{"AADSTS7000215", "client secret is wrong", "Value", "not its Secret ID", "client_secret_wo_version"},
		},
		{
			name:   "expired secret",
			creds:  goodCreds,
			expire: true,
			status: 401, code: "invalid_client", aadsts: 7000222, tokenPosts: 1,
			mustSay: []string{"AADSTS7000222", "has expired", "client_secret_wo_version"},
		},
		{
			name:   "unknown application",
			creds:  Credentials{TenantID: testTenant, ClientID: "99999999-9999-9999-9999-999999999999", ClientSecret: testSecret},
			status: 400, code: "unauthorized_client", aadsts: 700016, tokenPosts: 1,
			mustSay: []string{"AADSTS700016", `application (client_id) "99999999-9999-9999-9999-999999999999" was not found in tenant`, "Application (client) ID"},
		},
		{
			name:   "unknown tenant fails at discovery",
			creds:  Credentials{TenantID: "00000000-0000-0000-0000-000000000000", ClientID: testClient, ClientSecret: testSecret},
			status: 400, code: "invalid_tenant", aadsts: 90002, discovery: true, tokenPosts: 0,
			mustSay: []string{"AADSTS90002", `tenant "00000000-0000-0000-0000-000000000000" was not found`, "tenant_id"},
		},
		{
			name:   "scope without /.default",
			creds:  goodCreds,
			scope:  "https://analysis.windows.net/powerbi/api/Dataset.Read.All",
			status: 400, code: "invalid_scope", aadsts: 1002012, tokenPosts: 1,
			mustSay: []string{"AADSTS1002012", "/.default"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fe := newFakeEntra(t)
			if tc.expire {
				fe.expiredSecrets[testSecret] = true
			}
			ts := newTestTokenSource(t, fe, tc.creds, tc.scope)
			_, err := ts.Token(context.Background())
			ae, ok := AsAuthError(err)
			if !ok {
				t.Fatalf("error %v (%T) is not an *AuthError", err, err)
			}
			if ae.StatusCode != tc.status || ae.Code != tc.code || ae.AADSTS != tc.aadsts || ae.Discovery != tc.discovery {
				t.Errorf("got status=%d code=%q aadsts=%d discovery=%v", ae.StatusCode, ae.Code, ae.AADSTS, ae.Discovery)
			}
			if ae.CorrelationID != "corr-42" {
				t.Errorf("correlation id = %q", ae.CorrelationID)
			}
			msg := err.Error()
			for _, s := range tc.mustSay {
				if !strings.Contains(msg, s) {
					t.Errorf("message lacks %q:\n%s", s, msg)
				}
			}
			if strings.Contains(msg, testSecret) || strings.Contains(msg, "Trace ID") {
				t.Errorf("message leaks the secret or Entra's trace lines:\n%s", msg)
			}
			if ae.Temporary() {
				t.Error("a credential error must not be temporary")
			}
			if got := fe.tokenPosts.Load(); got != tc.tokenPosts {
				t.Errorf("token POSTs = %d, want %d (MSAL must not retry)", got, tc.tokenPosts)
			}
		})
	}
}

func TestNewTokenSourceRejectsBadConfiguration(t *testing.T) {
	cases := []struct {
		name    string
		cfg     TokenSourceConfig
		mustSay string
	}{
		{"plain http authority", TokenSourceConfig{AuthorityHost: "http://127.0.0.1:1", Credentials: goodCreds}, "must use https"},
		{"authority with a path", TokenSourceConfig{AuthorityHost: "https://login.microsoftonline.com/" + testTenant, Credentials: goodCreds}, "scheme and host only"},
		{"empty tenant", TokenSourceConfig{Credentials: Credentials{ClientID: testClient, ClientSecret: testSecret}}, "tenant_id is empty"},
		{"multi-tenant alias", TokenSourceConfig{Credentials: Credentials{TenantID: "common", ClientID: testClient, ClientSecret: testSecret}}, "not a specific tenant"},
		{"tenant as URL", TokenSourceConfig{Credentials: Credentials{TenantID: "https://x/y", ClientID: testClient, ClientSecret: testSecret}}, "not a URL"},
		{"empty client", TokenSourceConfig{Credentials: Credentials{TenantID: testTenant, ClientSecret: testSecret}}, "client_id is empty"},
		{"empty secret", TokenSourceConfig{Credentials: Credentials{TenantID: testTenant, ClientID: testClient}}, "client secret is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewTokenSource(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.mustSay) {
				t.Fatalf("err = %v, want it to say %q", err, tc.mustSay)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestNewTokenSourceDefaultsToPublicCloud(t *testing.T) {
	// No network call happens at construction, so this is safe offline.
	ts, err := NewTokenSource(TokenSourceConfig{Credentials: goodCreds})
	if err != nil {
		t.Fatal(err)
	}
	if ts.scope != PowerBIScope {
		t.Errorf("scope = %q", ts.scope)
	}
}

func TestTokenWaitHonoursContext(t *testing.T) {
	fe := newFakeEntra(t)
	ts := newTestTokenSource(t, fe, goodCreds, "")
	ts.lock <- struct{}{} // another caller holds the lock
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ts.Token(ctx); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err = %v", err)
	}
	if fe.tokenPosts.Load() != 0 {
		t.Error("no request may be sent while waiting")
	}
}
