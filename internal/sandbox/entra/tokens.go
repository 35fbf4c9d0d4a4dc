package entra

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"
)

// Claims is what an access token stands for.
type Claims struct {
	TenantID  string
	ClientID  string
	AppName   string // the app registration's display name when the token was issued
	Audience  string // e.g. AudiencePowerBI
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Validation failures. Resource servers map them to their own responses (Power BI: unknown
// or wrong audience => 401, expired => 403 TokenExpired).
var (
	ErrTokenUnknown  = errors.New("access token is missing, malformed or was not issued by this sandbox")
	ErrTokenExpired  = errors.New("access token has expired")
	ErrWrongAudience = errors.New("access token was issued for a different resource")
)

// tokenPrefix marks the emulator's handles so a stray real token is obviously foreign.
const tokenPrefix = "sbx."

// maxTokens bounds the token table; beyond it, long-expired handles are forgotten.
const maxTokens = 10000

// Validate checks a bearer token for the Power BI API: it must have been issued here, not
// be expired, and carry the Power BI audience. The returned Claims are filled whenever the
// token is known, even alongside ErrTokenExpired or ErrWrongAudience.
func (s *Server) Validate(token string) (Claims, error) {
	return s.ValidateFor(token, AudiencePowerBI)
}

// ValidateFor is Validate for another resource (e.g. AudienceFabric).
func (s *Server) ValidateFor(token, audience string) (Claims, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.tokens[token]
	if !ok {
		return Claims{}, ErrTokenUnknown
	}
	if !s.now().Before(c.ExpiresAt) {
		return c, ErrTokenExpired
	}
	if !strings.EqualFold(c.Audience, audience) {
		return c, ErrWrongAudience
	}
	return c, nil
}

// Issue mints a token without going through the token endpoint, for tests of resource
// servers that do not want an OAuth round trip. It uses the configured lifetime.
func (s *Server) Issue(tenantID, clientID, audience string) string {
	token, _ := s.issue(Claims{TenantID: tenantID, ClientID: clientID, Audience: audience})
	return token
}

// ExpireTokens makes every token issued so far expired, as if their lifetime had passed.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, c := range s.tokens {
		c.ExpiresAt = now
		s.tokens[k] = c
	}
}

// issue records a new handle for c, stamping issue and expiry times.
func (s *Server) issue(c Claims) (string, Claims) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c.IssuedAt, c.ExpiresAt = now, now.Add(s.lifetime)
	if len(s.tokens) >= maxTokens {
		for k, old := range s.tokens {
			if now.Sub(old.ExpiresAt) > time.Hour {
				delete(s.tokens, k)
			}
		}
	}
	s.tokens[token] = c
	return token, c
}
