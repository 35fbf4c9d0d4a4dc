package entra_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Token endpoint cases MSAL cannot produce (it always sends a well-formed request), driven
// with plain HTTP.

func postToken(t *testing.T, client *http.Client, u string, form url.Values, basic ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return resp, body
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestTokenEndpointErrors(t *testing.T) {
	_, srv, _ := newEmulator(t)
	tokenURL := srv.URL + "/" + tenant.DemoTenantID + "/oauth2/v2.0/token"
	good := func(overrides ...string) url.Values {
		f := form("grant_type", "client_credentials", "client_id", tenant.DemoClientID,
			"client_secret", tenant.DemoClientSecret, "scope", entra.ScopePowerBI+" openid offline_access profile")
		for i := 0; i < len(overrides); i += 2 {
			if overrides[i+1] == "" {
				f.Del(overrides[i])
			} else {
				f.Set(overrides[i], overrides[i+1])
			}
		}
		return f
	}
	for _, tc := range []struct {
		name   string
		url    string
		form   url.Values
		status int
		err    string
		code   float64
	}{
		{"authorization code grant", tokenURL, good("grant_type", "authorization_code"), 400, "unsupported_grant_type", 70003},
		{"missing grant type", tokenURL, good("grant_type", ""), 400, "invalid_request", 900144},
		{"missing scope", tokenURL, good("scope", ""), 400, "invalid_request", 900144},
		{"scope without .default", tokenURL, good("scope", "https://analysis.windows.net/powerbi/api/Dataset.Read.All"), 400, "invalid_scope", 1002012},
		{"only openid scopes", tokenURL, good("scope", "openid profile"), 400, "invalid_scope", 1002012},
		{"two resources", tokenURL, good("scope", entra.ScopePowerBI+" "+entra.ScopeFabric), 400, "invalid_scope", 70011},
		{"unknown resource", tokenURL, good("scope", "https://graph.microsoft.com/.default"), 400, "invalid_resource", 500011},
		{"missing secret", tokenURL, good("client_secret", ""), 401, "invalid_client", 7000218},
		{"secret of another app", tokenURL, good("client_secret", tenant.NoAccessClientSecret), 401, "invalid_client", 7000215},
		{"unknown tenant", srv.URL + "/nowhere.onmicrosoft.com/oauth2/v2.0/token", good(), 400, "invalid_request", 90002},
		{"common endpoint", srv.URL + "/common/oauth2/v2.0/token", good(), 400, "invalid_request", 50059},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postToken(t, srv.Client(), tc.url, tc.form)
			codes, _ := body["error_codes"].([]any)
			if resp.StatusCode != tc.status || body["error"] != tc.err || len(codes) != 1 || codes[0] != tc.code {
				t.Errorf("got %d %v %v, want %d %s [%v]", resp.StatusCode, body["error"], body["error_codes"], tc.status, tc.err, tc.code)
			}
			var keys []string
			for k := range body {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if got := strings.Join(keys, ","); got != "correlation_id,error,error_codes,error_description,error_uri,timestamp,trace_id" {
				t.Errorf("error body fields %s", got)
			}
		})
	}
}

func TestTokenEndpointRejectsGET(t *testing.T) {
	_, srv, _ := newEmulator(t)
	resp, err := srv.Client().Get(srv.URL + "/" + tenant.DemoTenantID + "/oauth2/v2.0/token")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 400 || !strings.HasPrefix(body["error_description"].(string), "AADSTS900561:") {
		t.Errorf("GET token: %d %v", resp.StatusCode, body)
	}
}

func TestTokenSuccessShape(t *testing.T) {
	em, srv, _ := newEmulator(t)
	// client_secret_basic works too, and the Power BI app ID is accepted as the resource.
	resp, body := postToken(t, srv.Client(), srv.URL+"/"+tenant.DemoTenantDomain+"/oauth2/v2.0/token",
		form("grant_type", "client_credentials", "scope", "00000009-0000-0000-c000-000000000000/.default"),
		tenant.DemoClientID, tenant.DemoClientSecret)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %v", resp.StatusCode, body)
	}
	var keys []string
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "access_token,expires_in,ext_expires_in,token_type" {
		t.Errorf("success fields %s (there must be no scope)", got)
	}
	if body["token_type"] != "Bearer" || body["expires_in"] != float64(3599) || body["ext_expires_in"] != float64(3599) {
		t.Errorf("body %v", body)
	}
	if resp.Header.Get("Cache-Control") == "" {
		t.Error("token responses must not be cacheable")
	}
	if c, err := em.Validate(body["access_token"].(string)); err != nil || c.Audience != entra.AudiencePowerBI {
		t.Errorf("claims %+v err %v", c, err)
	}
}

func TestValidate(t *testing.T) {
	em, _, _ := newEmulator(t)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	em.SetClock(func() time.Time { return now })
	em.SetTokenLifetime(time.Minute)
	tok := em.Issue(tenant.DemoTenantID, tenant.DemoClientID, entra.AudiencePowerBI)

	if c, err := em.Validate(tok); err != nil || !c.ExpiresAt.Equal(now.Add(time.Minute)) {
		t.Errorf("fresh token: %+v %v", c, err)
	}
	for _, garbage := range []string{"", "garbage", "sbx.AAAA", "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig"} {
		if _, err := em.Validate(garbage); !errors.Is(err, entra.ErrTokenUnknown) {
			t.Errorf("Validate(%q) = %v, want ErrTokenUnknown", garbage, err)
		}
	}
	now = now.Add(time.Minute)
	if c, err := em.Validate(tok); !errors.Is(err, entra.ErrTokenExpired) || c.ClientID != tenant.DemoClientID {
		t.Errorf("expired token: %+v %v", c, err)
	}

	em.SetTokenLifetime(time.Hour)
	tok2 := em.Issue(tenant.DemoTenantID, tenant.DemoClientID, entra.AudiencePowerBI)
	em.ExpireTokens()
	if _, err := em.Validate(tok2); !errors.Is(err, entra.ErrTokenExpired) {
		t.Errorf("after ExpireTokens: %v", err)
	}
	fabric := em.Issue(tenant.DemoTenantID, tenant.DemoClientID, entra.AudienceFabric)
	if _, err := em.Validate(fabric); !errors.Is(err, entra.ErrWrongAudience) {
		t.Errorf("fabric token for Power BI: %v", err)
	}
}

func TestTenantChangesApplyImmediately(t *testing.T) {
	_, srv, tn := newEmulator(t)
	tokenURL := srv.URL + "/" + tenant.DemoTenantID + "/oauth2/v2.0/token"
	f := form("grant_type", "client_credentials", "client_id", tenant.DemoClientID,
		"client_secret", tenant.DemoClientSecret, "scope", entra.ScopePowerBI)
	if err := tn.RotateSecret(tenant.DemoClientID, "rotated"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := postToken(t, srv.Client(), tokenURL, f); resp.StatusCode != 401 {
		t.Errorf("old secret after rotation: %d", resp.StatusCode)
	}
	f.Set("client_secret", "rotated")
	if resp, _ := postToken(t, srv.Client(), tokenURL, f); resp.StatusCode != 200 {
		t.Errorf("new secret: %d", resp.StatusCode)
	}
}
