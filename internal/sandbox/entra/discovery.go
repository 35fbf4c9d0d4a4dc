package entra

import (
	"net/http"
	"net/url"
	"strings"
)

// openIDConfiguration mirrors Entra's v2.0 discovery document field for field. MSAL reads
// only issuer, authorization_endpoint and token_endpoint; the rest is there so other
// OpenID clients (and curious users) see what Entra would show.
type openIDConfiguration struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	HTTPLogoutSupported               bool     `json:"http_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ClaimsSupported                   []string `json:"claims_supported"`
	KerberosEndpoint                  string   `json:"kerberos_endpoint"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	CloudGraphHostName                string   `json:"cloud_graph_host_name"`
	MSGraphHost                       string   `json:"msgraph_host"`
	RBACURL                           string   `json:"rbac_url"`
}

// multiTenantAliases are the authority segments that name no tenant. Discovery works for
// them (issuer carries the "{tenantid}" placeholder, as Entra's does); the token endpoint
// refuses them for client credentials.
var multiTenantAliases = map[string]bool{"common": true, "organizations": true}

func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("tenant")
	base := baseURL(r)
	var pathTenant, issuerTenant string
	var region *string
	switch t := s.lookupTenant(seg); {
	case t != nil:
		// Endpoints always carry the GUID, even when the client named the domain.
		pathTenant, issuerTenant = t.ID, t.ID
		eu := "EU"
		region = &eu
	case multiTenantAliases[strings.ToLower(seg)]:
		pathTenant, issuerTenant = strings.ToLower(seg), "{tenantid}"
	default:
		e := s.newError(r, http.StatusBadRequest, "invalid_tenant", 90002,
			"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", seg)
		s.record(r, Request{Endpoint: "discovery", Tenant: seg}, e)
		e.write(w)
		return
	}
	t := base + "/" + pathTenant
	doc := openIDConfiguration{
		TokenEndpoint:                     t + "/oauth2/v2.0/token",
		TokenEndpointAuthMethodsSupported: []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		JWKSURI:                           t + "/discovery/v2.0/keys",
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		SubjectTypesSupported:             []string{"pairwise"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
		ScopesSupported:                   []string{"openid", "profile", "email", "offline_access"},
		Issuer:                            base + "/" + issuerTenant + "/v2.0",
		UserinfoEndpoint:                  "https://graph.microsoft.com/oidc/userinfo",
		AuthorizationEndpoint:             t + "/oauth2/v2.0/authorize",
		DeviceAuthorizationEndpoint:       t + "/oauth2/v2.0/devicecode",
		HTTPLogoutSupported:               true,
		FrontchannelLogoutSupported:       true,
		EndSessionEndpoint:                t + "/oauth2/v2.0/logout",
		ClaimsSupported:                   []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		KerberosEndpoint:                  t + "/kerberos",
		TenantRegionScope:                 region,
		CloudInstanceName:                 "microsoftonline.com",
		CloudGraphHostName:                "graph.windows.net",
		MSGraphHost:                       "graph.microsoft.com",
		RBACURL:                           "https://pas.windows.net",
	}
	s.record(r, Request{Endpoint: "discovery", Tenant: seg, Status: http.StatusOK}, nil)
	writeJSON(w, http.StatusOK, doc)
}

// handleKeys serves an empty key set: the emulator's tokens are opaque handles, not JWTs,
// so there is nothing to verify them with (the Power BI emulator asks Validate instead).
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	s.record(r, Request{Endpoint: "keys", Tenant: r.PathValue("tenant"), Status: http.StatusOK}, nil)
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{}})
}

// handleInstanceDiscovery answers MSAL's instance-discovery probe with the request's own
// host as the only alias. It only matters to clients that reach the sandbox under
// Microsoft's host name (a rewriting transport); everyone else should switch instance
// discovery off.
func (s *Server) handleInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	tenantSeg := "common"
	if u, err := url.Parse(r.URL.Query().Get("authorization_endpoint")); err == nil {
		if first, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/"); first != "" {
			tenantSeg = first
		}
	}
	s.record(r, Request{Endpoint: "instance_discovery", Tenant: tenantSeg, Status: http.StatusOK}, nil)
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": baseURL(r) + "/" + tenantSeg + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{
			"preferred_network": r.Host,
			"preferred_cache":   r.Host,
			"aliases":           []string{r.Host},
		}},
	})
}
