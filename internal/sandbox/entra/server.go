// Package entra emulates the two Microsoft Entra ID (Azure AD) endpoints a confidential
// client uses for the client-credentials grant: OpenID discovery and the v2.0 token
// endpoint. The real MSAL Go library accepts it (tested), provided the client is built
// with WithInstanceDiscovery(false) and an authority of https://<sandbox host>/<tenant>.
//
// Access tokens are opaque random handles remembered server-side; the Power BI emulator
// asks Validate what a handle stands for.
package entra

import (
	"net/http"
	"sync"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Token audiences (resources) the emulator issues tokens for.
const (
	AudiencePowerBI = "https://analysis.windows.net/powerbi/api"
	AudienceFabric  = "https://api.fabric.microsoft.com"

	// ScopePowerBI is the scope a client requests for a Power BI token.
	ScopePowerBI = AudiencePowerBI + "/.default"
	// ScopeFabric is the scope a client requests for a Fabric token.
	ScopeFabric = AudienceFabric + "/.default"
)

// DefaultTokenLifetime matches Entra's usual expires_in for app tokens.
const DefaultTokenLifetime = 3599 * time.Second

// Server is the Entra ID emulator. Create it with New; it is an http.Handler and safe for
// concurrent use.
type Server struct {
	mu       sync.Mutex
	tenants  []*tenant.Tenant
	lifetime time.Duration
	now      func() time.Time
	tokens   map[string]Claims
	log      []Request
	handler  http.Handler
}

// New returns an emulator for the given tenants (usually one). A request naming any other
// tenant gets AADSTS90002.
func New(tenants ...*tenant.Tenant) *Server {
	s := &Server{
		tenants:  tenants,
		lifetime: DefaultTokenLifetime,
		now:      time.Now,
		tokens:   map[string]Claims{},
	}
	s.handler = s.routes()
	return s
}

// SetTokenLifetime changes the lifetime of tokens issued from now on. MSAL does not cache
// tokens that live less than five minutes, so a short lifetime makes every call hit the
// token endpoint, and one shorter than a test's duration exercises the API's expiry path.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lifetime = d
}

// SetClock replaces the emulator's clock (time.Now by default), for expiry tests that do not
// want to sleep.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// ServeHTTP routes:
//
//	GET  /{tenant}/v2.0/.well-known/openid-configuration   OpenID discovery
//	POST /{tenant}/oauth2/v2.0/token                        client-credentials grant
//	GET  /{tenant}/discovery/v2.0/keys                      JWKS (empty: tokens are opaque)
//	GET  /common/discovery/instance                         instance discovery, for clients that leave it on
//
// {tenant} is the tenant GUID or its domain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

func (s *Server) routes() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.handleDiscovery)
	m.HandleFunc("/{tenant}/oauth2/v2.0/token", s.handleToken)
	m.HandleFunc("GET /{tenant}/discovery/v2.0/keys", s.handleKeys)
	m.HandleFunc("GET /common/discovery/instance", s.handleInstanceDiscovery)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, Request{Endpoint: "other", Status: http.StatusNotFound}, nil)
		http.NotFound(w, r)
	})
	return m
}

// lookupTenant finds a tenant by GUID or domain.
func (s *Server) lookupTenant(idOrDomain string) *tenant.Tenant {
	for _, t := range s.tenants {
		if t.Matches(idOrDomain) {
			return t
		}
	}
	return nil
}

// baseURL is the scheme and host the client used to reach us. Discovery documents are
// built from it so that the issuer has the authority's scheme and host, which is what
// MSAL's issuer validation requires, wherever the sandbox happens to listen.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}
