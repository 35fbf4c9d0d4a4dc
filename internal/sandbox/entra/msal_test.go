package entra_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// These tests drive the emulator with the real MSAL Go confidential client, configured the
// way the provider configures it against the sandbox.

func newEmulator(t *testing.T) (*entra.Server, *httptest.Server, *tenant.Tenant) {
	t.Helper()
	tn := tenant.Default()
	em := entra.New(tn)
	srv := httptest.NewTLSServer(em)
	t.Cleanup(srv.Close)
	return em, srv, tn
}

func msalClient(t *testing.T, srv *httptest.Server, tenantSeg, clientID, secret string) confidential.Client {
	t.Helper()
	cred, err := confidential.NewCredFromSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	c, err := confidential.New(srv.URL+"/"+tenantSeg, clientID, cred,
		confidential.WithHTTPClient(srv.Client()),
		confidential.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestMSALAcquiresTokenAndServesSecondCallFromCache(t *testing.T) {
	em, srv, _ := newEmulator(t)
	c := msalClient(t, srv, tenant.DemoTenantID, tenant.DemoClientID, tenant.DemoClientSecret)

	first, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopePowerBI})
	if err != nil {
		t.Fatalf("first token: %v", err)
	}
	if first.Metadata.TokenSource != confidential.TokenSourceIdentityProvider {
		t.Errorf("first token source %v, want identity provider", first.Metadata.TokenSource)
	}
	if time.Until(first.ExpiresOn) < 59*time.Minute {
		t.Errorf("expires on %v, want about an hour from now", first.ExpiresOn)
	}
	second, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopePowerBI})
	if err != nil {
		t.Fatalf("second token: %v", err)
	}
	if second.Metadata.TokenSource != confidential.TokenSourceCache || second.AccessToken != first.AccessToken {
		t.Errorf("second call not served from MSAL's cache (source %v)", second.Metadata.TokenSource)
	}
	if got, want := em.Counts(), (entra.Counts{Discovery: 1, Token: 1, TokensIssued: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}

	claims, err := em.Validate(first.AccessToken)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if claims.TenantID != tenant.DemoTenantID || claims.ClientID != tenant.DemoClientID || claims.Audience != entra.AudiencePowerBI {
		t.Errorf("claims %+v", claims)
	}

	// What MSAL sent, as the request log saw it: no secret anywhere.
	reqs := em.Requests()
	if len(reqs) != 2 || reqs[1].GrantType != "client_credentials" || reqs[1].ClientID != tenant.DemoClientID ||
		!strings.Contains(reqs[1].Scope, entra.ScopePowerBI) || reqs[1].ClientSKU != "MSAL.Go" {
		t.Errorf("request log %+v", reqs)
	}
	if b, _ := json.Marshal(reqs); strings.Contains(string(b), tenant.DemoClientSecret) || strings.Contains(string(b), first.AccessToken) {
		t.Error("request log contains the client secret or the token")
	}
}

func TestMSALAcceptsDomainAuthority(t *testing.T) {
	em, srv, _ := newEmulator(t)
	c := msalClient(t, srv, tenant.DemoTenantDomain, tenant.DemoClientID, tenant.DemoClientSecret)
	ar, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopePowerBI})
	if err != nil {
		t.Fatal(err)
	}
	if claims, err := em.Validate(ar.AccessToken); err != nil || claims.TenantID != tenant.DemoTenantID {
		t.Errorf("claims %+v, err %v", claims, err)
	}
}

func TestMSALFabricScopeReusesDiscovery(t *testing.T) {
	em, srv, _ := newEmulator(t)
	c := msalClient(t, srv, tenant.DemoTenantID, tenant.DemoClientID, tenant.DemoClientSecret)
	if _, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopePowerBI}); err != nil {
		t.Fatal(err)
	}
	ar, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopeFabric})
	if err != nil {
		t.Fatal(err)
	}
	if got := em.Counts(); got.Discovery != 1 || got.Token != 2 {
		t.Errorf("counts %+v, want 1 discovery and 2 token calls", got)
	}
	// A Fabric token is not a Power BI token.
	if _, err := em.Validate(ar.AccessToken); !errors.Is(err, entra.ErrWrongAudience) {
		t.Errorf("Validate(fabric token) = %v, want ErrWrongAudience", err)
	}
	if _, err := em.ValidateFor(ar.AccessToken, entra.AudienceFabric); err != nil {
		t.Errorf("ValidateFor(fabric) = %v", err)
	}
}

func TestMSALDoesNotCacheShortLivedTokens(t *testing.T) {
	em, srv, _ := newEmulator(t)
	em.SetTokenLifetime(2 * time.Minute) // under MSAL's five-minute buffer
	c := msalClient(t, srv, tenant.DemoTenantID, tenant.DemoClientID, tenant.DemoClientSecret)
	for i := 0; i < 2; i++ {
		if _, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopePowerBI}); err != nil {
			t.Fatal(err)
		}
	}
	if got := em.Counts(); got.Discovery != 1 || got.Token != 2 {
		t.Errorf("counts %+v, want every call to reach the token endpoint", got)
	}
}

// entraError is Entra's error JSON, decoded from MSAL's CallErr.
type entraError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

func TestMSALSurfacesAADSTSErrors(t *testing.T) {
	for _, tc := range []struct {
		name                        string
		tenant, clientID, secret    string
		wantStatus                  int
		wantError                   string
		wantCode                    int
		wantPathSuffix, wantMessage string
	}{
		{"wrong secret", tenant.DemoTenantID, tenant.DemoClientID, "not-the-secret",
			401, "invalid_client", 7000215, "/oauth2/v2.0/token", "Invalid client secret provided"},
		{"unknown client", tenant.DemoTenantID, "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "whatever",
			400, "unauthorized_client", 700016, "/oauth2/v2.0/token", "was not found in the directory 'Contoso'"},
		{"unknown tenant", "0d0e0a0d-beef-4bad-8bad-000000000000", tenant.DemoClientID, tenant.DemoClientSecret,
			400, "invalid_tenant", 90002, "/v2.0/.well-known/openid-configuration", "Tenant '0d0e0a0d-beef-4bad-8bad-000000000000' not found"},
		{"disabled app", tenant.DemoTenantID, tenant.DisabledClientID, tenant.DisabledClientSecret,
			400, "unauthorized_client", 7000112, "/oauth2/v2.0/token", "is disabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, srv, _ := newEmulator(t)
			c := msalClient(t, srv, tc.tenant, tc.clientID, tc.secret)
			_, err := c.AcquireTokenByCredential(ctx(t), []string{entra.ScopePowerBI})
			var ce msalerrors.CallErr
			if !errors.As(err, &ce) || ce.Resp == nil {
				t.Fatalf("want an MSAL CallErr, got %T %v", err, err)
			}
			if ce.Resp.StatusCode != tc.wantStatus || !strings.HasSuffix(ce.Req.URL.Path, tc.wantPathSuffix) {
				t.Errorf("status %d on %s, want %d on ...%s", ce.Resp.StatusCode, ce.Req.URL.Path, tc.wantStatus, tc.wantPathSuffix)
			}
			b, _ := io.ReadAll(ce.Resp.Body)
			var body entraError
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatalf("body %q: %v", b, err)
			}
			if body.Error != tc.wantError || len(body.ErrorCodes) != 1 || body.ErrorCodes[0] != tc.wantCode {
				t.Errorf("error %q codes %v, want %q [%d]", body.Error, body.ErrorCodes, tc.wantError, tc.wantCode)
			}
			prefix := "AADSTS" + strconv.Itoa(tc.wantCode) + ": "
			if !strings.HasPrefix(body.ErrorDescription, prefix) || !strings.Contains(body.ErrorDescription, tc.wantMessage) ||
				!strings.Contains(body.ErrorDescription, "\r\nTrace ID: "+body.TraceID+"\r\nCorrelation ID: "+body.CorrelationID+"\r\nTimestamp: "+body.Timestamp) {
				t.Errorf("error_description %q", body.ErrorDescription)
			}
			// Entra uses the client's client-request-id as the correlation ID.
			if got := ce.Req.Header.Get("client-request-id"); got == "" || body.CorrelationID != got {
				t.Errorf("correlation_id %q, client-request-id %q", body.CorrelationID, got)
			}
			if body.ErrorURI != "https://login.microsoftonline.com/error?code="+strconv.Itoa(tc.wantCode) {
				t.Errorf("error_uri %q", body.ErrorURI)
			}
			if strings.Contains(err.Error(), tc.secret) {
				t.Error("MSAL error message contains the secret")
			}
		})
	}
}

// The issuer MSAL validates is derived from the request, so any host:port works.
func TestDiscoveryDocumentUsesRequestHostAndTenantGUID(t *testing.T) {
	_, srv, _ := newEmulator(t)
	resp, err := srv.Client().Get(srv.URL + "/" + strings.ToUpper(tenant.DemoTenantDomain) + "/v2.0/.well-known/openid-configuration?")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	base := srv.URL + "/" + tenant.DemoTenantID
	for k, want := range map[string]string{
		"issuer":                 base + "/v2.0",
		"token_endpoint":         base + "/oauth2/v2.0/token",
		"authorization_endpoint": base + "/oauth2/v2.0/authorize",
		"jwks_uri":               base + "/discovery/v2.0/keys",
	} {
		if doc[k] != want {
			t.Errorf("%s = %v, want %s", k, doc[k], want)
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
}

func TestInstanceDiscoveryAnswersWithOwnHost(t *testing.T) {
	_, srv, _ := newEmulator(t)
	resp, err := srv.Client().Get(srv.URL + "/common/discovery/instance?api-version=1.1&authorization_endpoint=https%3A%2F%2Fx%2F" + tenant.DemoTenantID + "%2Foauth2%2Fv2.0%2Fauthorize")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Endpoint string `json:"tenant_discovery_endpoint"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if body.Endpoint != srv.URL+"/"+tenant.DemoTenantID+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("tenant_discovery_endpoint %q", body.Endpoint)
	}
}

var _ http.Handler = (*entra.Server)(nil)
