package entra

import (
	"crypto/subtle"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// powerBIAppID is the Power BI Service's well-known application ID; Entra accepts it in
// place of the resource URI ("00000009-.../.default").
const powerBIAppID = "00000009-0000-0000-c000-000000000000"

// resources maps every accepted resource identifier (lower-cased) to the audience its
// tokens carry.
var resources = map[string]string{
	strings.ToLower(AudiencePowerBI): AudiencePowerBI,
	powerBIAppID:                     AudiencePowerBI,
	strings.ToLower(AudienceFabric):  AudienceFabric,
}

// oidcScopes are the scopes MSAL appends to every request ("openid offline_access
// profile"); Entra ignores them for client credentials, and so do we.
var oidcScopes = map[string]bool{"openid": true, "offline_access": true, "profile": true, "email": true}

type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	// No "scope": Entra's v2 client-credentials response has none, and MSAL rejects a
	// scope field that does not echo the requested scope.
}

// handleToken implements the client-credentials grant. Checks run in the order Entra
// applies them as far as it is observable: tenant, request shape, scope syntax, client,
// client secret, resource.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("tenant")
	entry := Request{Endpoint: "token", Tenant: seg}
	fail := func(status int, code string, aadsts int, format string, args ...any) {
		e := s.newError(r, status, code, aadsts, format, args...)
		s.record(r, entry, e)
		e.write(w)
	}

	if r.Method != http.MethodPost {
		fail(http.StatusBadRequest, "invalid_request", 900561,
			"The endpoint only accepts POST, OPTIONS requests. Received a %s request.", r.Method)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	_ = r.ParseForm() // a malformed body reads as missing parameters, reported below
	form := r.PostForm
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := basicAuth(r); ok { // client_secret_basic
		clientID, secret = u, p
	}
	entry.ClientID, entry.GrantType, entry.Scope = clientID, form.Get("grant_type"), form.Get("scope")

	t := s.lookupTenant(seg)
	switch {
	case t == nil && multiTenantAliases[strings.ToLower(seg)]:
		fail(http.StatusBadRequest, "invalid_request", 50059,
			"No tenant-identifying information found in either the request or implied by any provided credentials.")
		return
	case t == nil:
		fail(http.StatusBadRequest, "invalid_request", 90002,
			"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", seg)
		return
	}

	missing := ""
	switch {
	case form.Get("grant_type") == "":
		missing = "grant_type"
	case clientID == "":
		missing = "client_id"
	case form.Get("scope") == "":
		missing = "scope"
	}
	if missing != "" {
		fail(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: '%s'.", missing)
		return
	}
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		fail(http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '%s'.", gt)
		return
	}

	resource, scopeErr := parseScope(form.Get("scope"))
	if scopeErr != nil {
		fail(http.StatusBadRequest, "invalid_scope", scopeErr.aadsts, "%s", scopeErr.message)
		return
	}

	app, ok := t.App(clientID)
	if !ok {
		fail(http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
			clientID, t.DisplayName)
		return
	}
	if app.Disabled {
		fail(http.StatusBadRequest, "unauthorized_client", 7000112,
			"Application '%s'(%s) is disabled.", app.ClientID, app.DisplayName)
		return
	}
	if secret == "" {
		fail(http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	}
	if !secretMatches(app, secret) {
		fail(http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.",
			app.ClientID)
		return
	}

	audience, known := resources[strings.ToLower(resource)]
	if !known {
		fail(http.StatusBadRequest, "invalid_resource", 500011,
			"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
			resource, t.DisplayName)
		return
	}

	token, c := s.issue(Claims{TenantID: t.ID, ClientID: app.ClientID, AppName: app.DisplayName, Audience: audience})
	expiresIn := int64(math.Ceil(c.ExpiresAt.Sub(c.IssuedAt).Seconds()))
	if expiresIn < 1 {
		expiresIn = 1
	}
	entry.Status = http.StatusOK
	s.record(r, entry, nil)
	writeJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", ExpiresIn: expiresIn, ExtExpiresIn: expiresIn, AccessToken: token})
}

type scopeError struct {
	aadsts  int
	message string
}

// parseScope extracts the one resource from a client-credentials scope list: exactly one
// "<resource>/.default", plus any of the OpenID scopes MSAL adds.
func parseScope(scope string) (string, *scopeError) {
	var defaults []string
	for _, sc := range strings.Fields(scope) {
		switch {
		case oidcScopes[strings.ToLower(sc)]:
		case strings.HasSuffix(strings.ToLower(sc), "/.default"):
			defaults = append(defaults, sc)
		default:
			return "", &scopeError{1002012, "The provided value for scope " + sc + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."}
		}
	}
	switch len(defaults) {
	case 0:
		return "", &scopeError{1002012, "The provided value for scope " + scope + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."}
	case 1:
		d := defaults[0]
		return d[:len(d)-len("/.default")], nil
	default:
		return "", &scopeError{70011, "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope " + strings.Join(defaults, " ") + " is not valid. Only one resource's /.default scope may be requested at a time."}
	}
}

func secretMatches(app tenant.App, secret string) bool {
	for _, s := range app.Secrets {
		if subtle.ConstantTimeCompare([]byte(s), []byte(secret)) == 1 {
			return true
		}
	}
	return false
}

// basicAuth reads client_secret_basic credentials, which RFC 6749 section 2.3.1 requires
// to be form-encoded before base64.
func basicAuth(r *http.Request) (string, string, bool) {
	u, p, ok := r.BasicAuth()
	if !ok {
		return "", "", false
	}
	if du, err := url.QueryUnescape(u); err == nil {
		u = du
	}
	if dp, err := url.QueryUnescape(p); err == nil {
		p = dp
	}
	return u, p, true
}
