// Package provider defines the entropydata provider: its configuration, and
// the list of resources and data sources it serves.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entropy-data/terraform-provider-entropydata/internal/dataproduct"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/integration"
	"github.com/entropy-data/terraform-provider-entropydata/internal/integrationrun"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/report"
	"github.com/entropy-data/terraform-provider-entropydata/internal/semanticmodel"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

// Environment variables; the first two are the same as Entropy Data's own CLI.
const (
	EnvHost              = "ENTROPY_DATA_HOST"
	EnvAPIKey            = "ENTROPY_DATA_API_KEY"
	EnvEntraAuthority    = "ENTROPY_DATA_ENTRA_AUTHORITY_HOST"
	EnvPowerBIEndpoint   = "ENTROPY_DATA_POWERBI_ENDPOINT"
	EnvCloud             = "ENTROPY_DATA_CLOUD"
	EnvCACertFile        = "ENTROPY_DATA_CA_CERT_FILE"
	DefaultHost          = "https://api.entropy-data.com"
	defaultTimeout       = 30 * time.Second
	defaultMaxRetries    = 4
	maxAllowedMaxRetries = 20
)

var (
	_ provider.Provider                  = (*entropyDataProvider)(nil)
	_ provider.ProviderWithActions       = (*entropyDataProvider)(nil)
	_ provider.ProviderWithListResources = (*entropyDataProvider)(nil)
)

// Option adjusts the provider for tests.
type Option func(*entropyDataProvider)

// WithHTTPClient makes every client of the provider (Entropy Data, Entra ID,
// Power BI) use hc instead of the transport built from ca_cert_file, e.g. a
// test's client that trusts the sandbox's certificate.
func WithHTTPClient(hc *http.Client) Option {
	return func(p *entropyDataProvider) { p.httpClient = hc }
}

// WithClock replaces the clock the provider plans schedules with, so tests
// can move time without sleeping.
func WithClock(now func() time.Time) Option {
	return func(p *entropyDataProvider) { p.clock = now }
}

// New returns a constructor for the provider, as providerserver expects.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &entropyDataProvider{version: version}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type entropyDataProvider struct {
	version    string
	httpClient *http.Client
	clock      func() time.Time
}

type providerModel struct {
	Host               types.String `tfsdk:"host"`
	APIKey             types.String `tfsdk:"api_key"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
	EntraAuthorityHost types.String `tfsdk:"entra_authority_host"`
	PowerBIEndpoint    types.String `tfsdk:"powerbi_endpoint"`
	Cloud              types.String `tfsdk:"cloud"`
	CACertFile         types.String `tfsdk:"ca_cert_file"`
}

func (p *entropyDataProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entropydata"
	resp.Version = p.version
}

func (p *entropyDataProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Entropy Data provider manages Entropy Data's Power BI integration as code: " +
			"the scheduled import of Power BI workspaces, semantic models and reports, and the governed data " +
			"products built on them.",
		Attributes: map[string]schema.Attribute{
			"host": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Entropy Data API, e.g. `https://api.entropy-data.com` or your " +
					"self-hosted instance. Defaults to the `" + EnvHost + "` environment variable, then to `" + DefaultHost + "`.",
				Optional:   true,
				Validators: []validator.String{validate.HTTPURL()},
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Entropy Data API key (an organization or team key). Defaults to the `" + EnvAPIKey +
					"` environment variable. Never stored in state.",
				Optional:  true,
				Sensitive: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit for a single HTTP request, as a Go duration such as `30s` or `2m`. Defaults to `30s`.",
				Optional:            true,
				Validators:          []validator.String{validate.Duration(time.Second, 10*time.Minute)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How often a request is retried after HTTP 429, 502, 503, 504 or a "+
					"connection error, with exponential backoff that honours `Retry-After`. `0` disables retries. Defaults to `%d`.", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxAllowedMaxRetries)},
			},
			"cloud": schema.StringAttribute{
				MarkdownDescription: "The Microsoft cloud of the Power BI tenant, which sets the Entra ID authority, the Power BI " +
					"endpoint and the token scope together: " + cloudList() + ". Defaults to the `" + EnvCloud +
					"` environment variable, then to `" + powerbi.PublicCloud + "`. `entra_authority_host` and `powerbi_endpoint` " +
					"(or their environment variables), when set, win over the cloud's hosts.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(powerbi.CloudNames()...)},
			},
			"entra_authority_host": schema.StringAttribute{
				MarkdownDescription: "Microsoft Entra ID authority host used to check service-principal credentials. " +
					"Defaults to the `" + EnvEntraAuthority + "` environment variable, then to the host of `cloud` (`" +
					powerbi.DefaultAuthorityHost + "` in the public cloud). Point it at the sandbox when needed.",
				Optional:   true,
				Validators: []validator.String{validate.HTTPSURL()},
			},
			"powerbi_endpoint": schema.StringAttribute{
				MarkdownDescription: "Power BI REST API base URL. Defaults to the `" + EnvPowerBIEndpoint +
					"` environment variable, then to the endpoint of `cloud` (`" + powerbi.DefaultEndpoint + "` in the public cloud).",
				Optional:   true,
				Validators: []validator.String{validate.HTTPURL()},
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path of a PEM file with extra certificate authorities to trust (it may hold several " +
					"certificates), for a self-hosted Entropy Data or a proxy behind a private CA, or the sandbox. They are " +
					"trusted in addition to the operating system's, by the Entropy Data, Entra ID and Power BI clients alike, on " +
					"Linux, macOS and Windows. A relative path is relative to the directory Terraform runs in. Defaults to the `" +
					EnvCACertFile + "` environment variable.",
				Optional: true,
			},
		},
	}
}

func (p *entropyDataProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value computed by another resource is unknown during plan; the
	// framework's convention is to say so instead of guessing.
	for name, v := range map[string]types.String{
		"host": cfg.Host, "api_key": cfg.APIKey, "entra_authority_host": cfg.EntraAuthorityHost,
		"powerbi_endpoint": cfg.PowerBIEndpoint, "request_timeout": cfg.RequestTimeout,
		"cloud": cfg.Cloud, "ca_cert_file": cfg.CACertFile,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider "+name,
				"The provider cannot be configured because "+name+" is not known until apply. Set it to a static "+
					"value, use an environment variable, or apply the resource it depends on first (-target).")
		}
	}
	if cfg.MaxRetries.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Unknown provider max_retries",
			"The provider cannot be configured because max_retries is not known until apply.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	host := firstNonEmpty(cfg.Host.ValueString(), os.Getenv(EnvHost), DefaultHost)
	apiKey := firstNonEmpty(cfg.APIKey.ValueString(), os.Getenv(EnvAPIKey))
	if strings.TrimSpace(apiKey) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing Entropy Data API key",
			"Set api_key in the provider block or the "+EnvAPIKey+" environment variable. "+
				"Create a key in Entropy Data under Organization settings > API keys.")
		return
	}
	if _, err := url.ParseRequestURI(host); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("host"), "Invalid Entropy Data host",
			fmt.Sprintf("%q (from host or %s) is not a URL: %s", host, EnvHost, err))
		return
	}

	timeout := defaultTimeout
	if s := cfg.RequestTimeout.ValueString(); s != "" {
		var err error
		if timeout, err = time.ParseDuration(s); err != nil { // the schema validates it; fail closed all the same
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid duration",
				fmt.Sprintf("%q is not a Go duration such as 30s or 2m: %s", s, err))
			return
		}
	}
	maxRetries := defaultMaxRetries
	if !cfg.MaxRetries.IsNull() {
		maxRetries = int(cfg.MaxRetries.ValueInt64())
	}

	pbi, diags := powerBISettings(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	clients, diags := p.httpClients(ctx, cfg.CACertFile.ValueString(), os.Getenv(EnvCACertFile))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	ctx = tflog.MaskAllFieldValuesStrings(ctx, apiKey)
	ctx = tflog.MaskMessageStrings(ctx, apiKey)

	client, err := entropydata.New(entropydata.Config{
		Host:           host,
		APIKey:         apiKey,
		HTTPClient:     clients.entropyData,
		UserAgent:      "terraform-provider-entropydata/" + p.version,
		RequestTimeout: timeout,
		MaxRetries:     maxRetries,
		// A provider process serves one command (Terraform configures it
		// anew for each), so its readers may share what they read.
		ShareAssetReads: true,
	})
	if err != nil {
		resp.Diagnostics.AddError("Could not create the Entropy Data client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured Entropy Data client", map[string]any{"host": host, "max_retries": maxRetries})

	pbi.HTTPClient, pbi.MaxRetries, pbi.RequestTimeout = clients.powerBI, maxRetries, timeout
	data := &providerdata.ProviderData{
		Client:  client,
		Version: p.version,
		Clock:   p.clock,
		PowerBI: pbi,
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

func (p *entropyDataProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		integration.NewResource,
		dataproduct.NewResource,
	}
}

func (p *entropyDataProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		integration.NewDataSource, integration.NewRunsDataSource,
		filterpreview.NewDataSource,
		semanticmodel.NewListDataSource, semanticmodel.NewDataSource,
		report.NewListDataSource, report.NewDataSource,
	}
}

// Actions need Terraform 1.14 or later; older versions never ask for them.
func (p *entropyDataProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		integrationrun.NewAction,
	}
}

// ListResources serve `terraform query` (Terraform 1.14 or later).
func (p *entropyDataProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		integration.NewListResource,
		dataproduct.NewListResource,
	}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
