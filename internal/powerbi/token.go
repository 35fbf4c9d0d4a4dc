package powerbi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
)

// PowerBIScope is the scope a service principal asks for in the public
// cloud: the Power BI resource with the ".default" suffix that the
// client-credentials grant needs. Each national cloud has its own (Clouds).
const PowerBIScope = "https://analysis.windows.net/powerbi/api/.default"

// DefaultAuthorityHost is the Entra ID login host of the public cloud.
const DefaultAuthorityHost = "https://login.microsoftonline.com"

// Credentials identify a service principal. ClientSecret is the secret's
// VALUE; it never appears in errors produced by this package.
type Credentials struct {
	TenantID     string
	ClientID     string
	ClientSecret string
}

// TokenSourceConfig configures NewTokenSource. Only Credentials is required.
type TokenSourceConfig struct {
	// AuthorityHost is the Entra ID host, e.g. DefaultAuthorityHost (the
	// default) or the sandbox's https URL. It must use https: MSAL refuses
	// anything else.
	AuthorityHost string
	Credentials   Credentials
	// HTTPClient is used for every call MSAL makes; tests pass the
	// httptest TLS server's client so the test certificate is trusted.
	HTTPClient *http.Client
	// Scope is the cloud's Power BI scope (Cloud.Scope); it defaults to
	// the public cloud's, PowerBIScope.
	Scope string
}

// TokenSource hands out Entra ID access tokens for one service principal.
// It is safe for concurrent use and should be created once per credential:
// the MSAL client inside owns the token cache.
type TokenSource struct {
	// lock (a one-slot semaphore, so waiting honours ctx) serialises Token
	// calls: MSAL neither retries nor de-duplicates, so without it N
	// concurrent first calls would send N token requests.
	lock   chan struct{}
	client confidential.Client
	scope  string
	creds  Credentials // for error messages; the secret is never printed
}

// microsoftLoginHosts are the Entra ID hosts MSAL trusts. For any other host
// (the sandbox, a test server) instance discovery is switched off, because it
// would otherwise call login.microsoftonline.com on the internet.
var microsoftLoginHosts = map[string]bool{
	"login.microsoftonline.com":        true,
	"login.microsoft.com":              true,
	"login.windows.net":                true,
	"sts.windows.net":                  true,
	"login.microsoftonline.us":         true,
	"login-us.microsoftonline.com":     true,
	"login.usgovcloudapi.net":          true,
	"login.partner.microsoftonline.cn": true,
	"login.chinacloudapi.cn":           true,
	"login.microsoftonline.de":         true,
}

// NewTokenSource validates the configuration and creates the MSAL
// confidential client. It makes no network call.
func NewTokenSource(cfg TokenSourceConfig) (*TokenSource, error) {
	host, err := normaliseAuthorityHost(cfg.AuthorityHost)
	if err != nil {
		return nil, err
	}
	if err := validateCredentials(cfg.Credentials); err != nil {
		return nil, err
	}
	scope := cfg.Scope
	if scope == "" {
		scope = PowerBIScope
	}

	cred, err := confidential.NewCredFromSecret(cfg.Credentials.ClientSecret)
	if err != nil {
		return nil, fmt.Errorf("client secret: %w", err)
	}
	var opts []confidential.Option
	if cfg.HTTPClient != nil {
		opts = append(opts, confidential.WithHTTPClient(cfg.HTTPClient))
	}
	if !microsoftLoginHosts[host.Hostname()] {
		// Keep every request on the configured host: no instance discovery
		// on the internet, and no regional endpoint even if MSAL_FORCE_REGION
		// is set in the environment.
		opts = append(opts,
			confidential.WithInstanceDiscovery(false),
			confidential.WithAzureRegion("DisableMsalForceRegion"))
	}
	authority := host.String() + "/" + cfg.Credentials.TenantID
	client, err := confidential.New(authority, cfg.Credentials.ClientID, cred, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the Entra ID client for authority %s: %w", authority, err)
	}
	return &TokenSource{lock: make(chan struct{}, 1), client: client, scope: scope, creds: cfg.Credentials}, nil
}

// Token returns an access token for the configured scope. MSAL serves it
// from its cache until five minutes before it expires, so calling Token
// before every request is cheap. Entra ID rejections come back as *AuthError.
func (t *TokenSource) Token(ctx context.Context) (string, error) {
	select {
	case t.lock <- struct{}{}:
		defer func() { <-t.lock }()
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for an Entra ID token: %w", ctx.Err())
	}
	res, err := t.client.AcquireTokenByCredential(ctx, []string{t.scope})
	if err != nil {
		return "", classifyMSALError(err, t.creds)
	}
	return res.AccessToken, nil
}

func normaliseAuthorityHost(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultAuthorityHost
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("authority host %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("authority host %q must use https (Entra ID and MSAL only accept https authorities)", raw)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("authority host %q must be a scheme and host only, such as %s (the tenant is added from tenant_id)", raw, DefaultAuthorityHost)
	}
	u.Path = ""
	return u, nil
}

func validateCredentials(c Credentials) error {
	var problems []string
	switch t := strings.ToLower(c.TenantID); {
	case strings.TrimSpace(c.TenantID) == "":
		problems = append(problems, "tenant_id is empty (use the Directory (tenant) ID of the app registration)")
	case t == "common" || t == "organizations" || t == "consumers":
		problems = append(problems, fmt.Sprintf("tenant_id %q is not a specific tenant; the client-credentials flow needs the Directory (tenant) ID", c.TenantID))
	case strings.ContainsAny(c.TenantID, "/?#% \t"):
		problems = append(problems, fmt.Sprintf("tenant_id %q must be a tenant ID or domain name, not a URL or path", c.TenantID))
	}
	if strings.TrimSpace(c.ClientID) == "" {
		problems = append(problems, "client_id is empty (use the Application (client) ID of the app registration)")
	}
	if c.ClientSecret == "" {
		problems = append(problems, "client secret is empty")
	}
	if len(problems) > 0 {
		return errors.New("invalid service principal credentials: " + strings.Join(problems, "; "))
	}
	return nil
}
