// Package providerdata is the one small struct the provider hands to every
// resource and data source, plus the helpers they share to receive it and to
// turn client errors into diagnostics.
package providerdata

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// ProviderData is what Configure builds once and every resource receives.
type ProviderData struct {
	// Client talks to the Entropy Data API.
	Client *entropydata.Client
	// PowerBI holds what a resource needs to reach Microsoft Entra ID and
	// Power BI itself (credential checks and previews).
	PowerBI PowerBISettings
	// Version is the provider version, for User-Agent strings.
	Version string
	// Clock is nil in production; tests inject one so that no test sleeps.
	Clock func() time.Time

	cache lookups
}

// PowerBISettings locate Entra ID and the Power BI REST API of one
// Microsoft cloud (see powerbi.Clouds).
type PowerBISettings struct {
	AuthorityHost string
	Endpoint      string
	// Scope is the cloud's Power BI token scope; empty means the public cloud's.
	Scope string
	// HTTPClient serves both MSAL's calls to Entra ID and the Power BI
	// client: the provider's shared transport, which trusts the system's
	// certificate authorities and those of ca_cert_file.
	HTTPClient *http.Client
	MaxRetries int
	// RequestTimeout bounds one HTTP attempt.
	RequestTimeout time.Duration
}

// Now is the provider's clock.
func (d *ProviderData) Now() time.Time {
	if d == nil || d.Clock == nil {
		return time.Now()
	}
	return d.Clock()
}

// From extracts the ProviderData from a resource's or data source's Configure
// request. It returns nil without a diagnostic while the provider is not yet
// configured (the framework calls Configure early during validation).
func From(raw any, diags *diag.Diagnostics) *ProviderData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*ProviderData)
	if !ok {
		diags.AddError(
			"Unexpected provider data",
			fmt.Sprintf("Expected *providerdata.ProviderData, got %T. This is a bug in the provider; please report it.", raw),
		)
		return nil
	}
	return data
}

// NewClient builds a Power BI client that authenticates as the given service
// principal through Microsoft Entra ID.
func (s PowerBISettings) NewClient(c powerbi.Credentials) (*powerbi.Client, error) {
	tokens, err := powerbi.NewTokenSource(powerbi.TokenSourceConfig{
		AuthorityHost: s.AuthorityHost,
		Credentials:   c,
		HTTPClient:    s.HTTPClient,
		Scope:         s.Scope,
	})
	if err != nil {
		return nil, err
	}
	retries := s.MaxRetries
	return powerbi.NewClient(powerbi.ClientConfig{
		Endpoint:   s.Endpoint,
		Tokens:     tokens,
		HTTPClient: s.HTTPClient,
		MaxRetries: &retries,
		UserAgent:  "terraform-provider-entropydata",
	})
}
