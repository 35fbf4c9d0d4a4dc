package powerbiapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
)

// authorize applies, in order, the checks the real service makes before it looks at the
// request itself:
//
//   - no or unknown bearer token, or a token for another resource or tenant: 401
//   - expired token: 403 TokenExpired
//   - tenant switch "Service principals can use Fabric APIs" off: 401 on every call
//   - admin API and "Service principals can access read-only admin APIs" off: 401
//
// It writes the error response itself and reports whether the request may proceed.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, adminAPI bool) (caller, bool) {
	token, ok := bearerToken(r)
	if !ok {
		unauthorized(w, "The access token is missing.")
		return caller{}, false
	}
	claims, err := s.tokens.Validate(token)
	switch {
	case errors.Is(err, entra.ErrTokenExpired):
		writeError(w, http.StatusForbidden, CodeTokenExpired, "Access token has expired, resubmit with a new access token")
		return caller{}, false
	case errors.Is(err, entra.ErrWrongAudience):
		unauthorized(w, "The access token was issued for another resource; request https://analysis.windows.net/powerbi/api/.default.")
		return caller{}, false
	case err != nil:
		unauthorized(w, "The access token is invalid.")
		return caller{}, false
	case !s.tenant.Matches(claims.TenantID):
		unauthorized(w, "The access token was issued by another tenant.")
		return caller{}, false
	}

	settings := s.tenant.CurrentSettings()
	if !settings.ServicePrincipalsCanUseAPIs || (adminAPI && !settings.ServicePrincipalsCanUseReadOnlyAdminAPIs) {
		// The real service gives no hint which switch is off; neither do we.
		writePBIException(w, http.StatusUnauthorized, CodeNotAuthorized)
		return caller{}, false
	}
	return caller{clientID: claims.ClientID, claims: claims}, true
}

// unauthorized is the 401 for token problems: the documented body plus an RFC 6750
// challenge whose description says what was wrong with the token.
func unauthorized(w http.ResponseWriter, description string) {
	w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token", error_description="`+description+`"`)
	writePBIException(w, http.StatusUnauthorized, CodeNotAuthorized)
}

func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
