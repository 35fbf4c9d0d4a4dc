package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/transport"
)

// powerBISettings resolves where Entra ID and Power BI are. The cloud comes
// from the attribute, then the environment, and sets the hosts and the token
// scope together; an explicit host or endpoint (attribute, then environment
// variable) wins over the cloud's. HTTP settings are left to the caller.
func powerBISettings(cfg providerModel, getenv func(string) string) (providerdata.PowerBISettings, diag.Diagnostics) {
	cloud, diags := resolveCloud(cfg.Cloud.ValueString(), getenv(EnvCloud))
	return providerdata.PowerBISettings{
		AuthorityHost: strings.TrimRight(firstNonEmpty(cfg.EntraAuthorityHost.ValueString(), getenv(EnvEntraAuthority), cloud.AuthorityHost), "/"),
		Endpoint:      strings.TrimRight(firstNonEmpty(cfg.PowerBIEndpoint.ValueString(), getenv(EnvPowerBIEndpoint), cloud.Endpoint), "/"),
		Scope:         cloud.Scope,
	}, diags
}

// resolveCloud picks the Microsoft cloud from the attribute, then the
// environment. The schema validates the attribute; the environment variable
// is checked here.
func resolveCloud(attr, env string) (powerbi.Cloud, diag.Diagnostics) {
	var diags diag.Diagnostics
	name, from := attr, "cloud"
	if strings.TrimSpace(name) == "" {
		name, from = env, "the "+EnvCloud+" environment variable"
	}
	if strings.TrimSpace(name) == "" {
		name = powerbi.PublicCloud
	}
	c, ok := powerbi.LookupCloud(name)
	if !ok {
		diags.AddAttributeError(path.Root("cloud"), "Unknown Microsoft cloud",
			fmt.Sprintf("%q (from %s) is not a Microsoft cloud this provider knows. Use one of: %s.", name, from, cloudList()))
	}
	return c, diags
}

// cloudList names the clouds for documentation and errors.
func cloudList() string {
	var parts []string
	for _, c := range powerbi.Clouds() {
		parts = append(parts, fmt.Sprintf("`%s` for %s", c.Name, c.Title))
	}
	return strings.Join(parts, "; ")
}

// clients are the HTTP clients of one provider configuration. Both share
// one transport, so one connection pool and one set of trusted authorities.
type clients struct {
	entropyData *http.Client // no overall timeout: the client bounds each attempt itself
	powerBI     *http.Client // MSAL and the Power BI client
}

// httpClients builds the provider's transport in one place: the system's
// certificate authorities plus those of the CA file (ca_cert_file, then its
// environment variable), for Entropy Data, Entra ID and Power BI alike.
func (p *entropyDataProvider) httpClients(ctx context.Context, attr, env string) (clients, diag.Diagnostics) {
	var diags diag.Diagnostics
	caFile, source := attr, "ca_cert_file"
	if strings.TrimSpace(caFile) == "" {
		caFile, source = env, "the "+EnvCACertFile+" environment variable"
	}
	opts := transport.Options{UntrustedHint: "if it is a private authority (a self-hosted instance, a TLS-inspecting " +
		"proxy, the sandbox), set ca_cert_file in the provider block or the " + EnvCACertFile +
		" environment variable to the path of its PEM certificate"}
	if strings.TrimSpace(caFile) != "" {
		pool, n, err := transport.CertPool(caFile)
		if err != nil {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Unusable CA certificate file",
				fmt.Sprintf("The CA certificate file set by %s cannot be used: %s.\n\nSet it to a PEM file holding the "+
					"certificates of the authorities to trust, or unset it to trust only the operating system's.", source, err))
			return clients{}, diags
		}
		opts.RootCAs = pool
		opts.UntrustedHint = fmt.Sprintf("the %d certificate(s) of %s, set by %s, do not include the authority that signed it: "+
			"add that authority's PEM certificate to the file", n, caFile, source)
		tflog.Debug(ctx, "trusting extra certificate authorities", map[string]any{"ca_cert_file": caFile, "certificates": n})
	}
	if p.httpClient != nil {
		return clients{entropyData: p.httpClient, powerBI: p.httpClient}, diags
	}
	rt := transport.New(opts)
	return clients{
		entropyData: &http.Client{Transport: rt},
		powerBI:     &http.Client{Transport: rt, Timeout: powerbi.DefaultHTTPTimeout},
	}, diags
}
