package entra

import (
	"net/http"
	"time"
)

// Request is one logged request. Secrets are never logged: not the client secret, not the
// issued token.
type Request struct {
	Time     time.Time
	Method   string
	Path     string
	Endpoint string // "discovery", "token", "keys", "instance_discovery" or "other"
	Tenant   string // the tenant path segment as sent (GUID or domain)

	// Token requests only.
	ClientID  string
	GrantType string
	Scope     string

	Status    int
	Error     string // OAuth error code on failure, e.g. "invalid_client"
	ErrorCode int    // AADSTS number on failure, e.g. 7000215

	// MSAL's telemetry headers, handy to check which client called.
	ClientRequestID string
	ClientSKU       string
	ClientVersion   string
}

// Counts summarises the request log, so a test can assert "one discovery and one token
// POST" after two AcquireTokenByCredential calls.
type Counts struct {
	Discovery    int // GET openid-configuration, any outcome
	Token        int // token endpoint calls, any outcome
	TokensIssued int // successful token responses
	TokenErrors  int // failed token responses
	Other        int // everything else
}

func (s *Server) record(r *http.Request, e Request, oerr *oauthError) {
	e.Time = time.Now()
	e.Method, e.Path = r.Method, r.URL.Path
	e.ClientRequestID = r.Header.Get("client-request-id")
	e.ClientSKU = r.Header.Get("x-client-sku")
	e.ClientVersion = r.Header.Get("x-client-ver")
	if oerr != nil {
		e.Status, e.Error, e.ErrorCode = oerr.status, oerr.code, oerr.aadsts
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, e)
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Counts tallies the request log.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c Counts
	for _, e := range s.log {
		switch e.Endpoint {
		case "discovery":
			c.Discovery++
		case "token":
			c.Token++
			if e.Status == http.StatusOK {
				c.TokensIssued++
			} else {
				c.TokenErrors++
			}
		default:
			c.Other++
		}
	}
	return c
}

// ResetRequests empties the request log (issued tokens stay valid).
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}
