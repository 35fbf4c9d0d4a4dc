package filterpreview

import (
	"context"
	"fmt"
	"os"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

// DefaultSecretEnv is the environment variable the data source reads the
// client secret from unless client_secret_env names another.
const DefaultSecretEnv = "ENTROPY_DATA_POWERBI_CLIENT_SECRET"

const (
	defaultDataSourceLimit = 100
	maxDataSourceLimit     = 5000
)

var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var _ datasource.DataSourceWithConfigure = (*dataSource)(nil)

// NewDataSource returns the entropydata_powerbi_filter_preview data source.
func NewDataSource() datasource.DataSource {
	return &dataSource{providerdata.DataSource{TypeName: "powerbi_filter_preview"}}
}

type dataSource struct {
	providerdata.DataSource
}

func (d *dataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := DataSourcePreviewAttributes()
	attrs["tenant_id"] = schema.StringAttribute{
		MarkdownDescription: "Directory (tenant) id of the Microsoft Entra ID tenant.",
		Required:            true,
		Validators:          []validator.String{validate.GUID("tenant_id")},
	}
	attrs["client_id"] = schema.StringAttribute{
		MarkdownDescription: "Application (client) id of the service principal.",
		Required:            true,
		Validators:          []validator.String{validate.GUID("client_id")},
	}
	attrs["client_secret_env"] = schema.StringAttribute{
		MarkdownDescription: "Name of the environment variable that holds the client secret's value. Defaults to `" +
			DefaultSecretEnv + "`. The secret is read from the environment of the machine running Terraform, so " +
			"that it never appears in the configuration or the state: a data source stores all its arguments in the state.",
		Optional: true,
		Validators: []validator.String{validate.String("must be an environment variable name", "Invalid environment variable name",
			func(s string) string {
				if !envNamePattern.MatchString(s) {
					return fmt.Sprintf("%q is not an environment variable name; give the variable's name (such as %s), not the secret itself", s, DefaultSecretEnv)
				}
				return ""
			})},
	}
	attrs[AttrFilters] = DataSourceFiltersAttribute()
	attrs["limit"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("How many names each list holds at most, 1 to %d; the counts are always complete. Defaults to %d.",
			maxDataSourceLimit, defaultDataSourceLimit),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(1, maxDataSourceLimit)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "What a Power BI integration's filters would select: the workspaces, semantic models and " +
			"reports, read live from Power BI as the service principal, with the same matcher an ingestion run uses. " +
			"Use it to assert on a selection in `check` blocks and outputs.",
		Attributes: attrs,
	}
}

func (d *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var tenantID, clientID, secretEnv types.String
	var limit types.Int64
	var filters types.Object
	for name, target := range map[string]any{"tenant_id": &tenantID, "client_id": &clientID,
		"client_secret_env": &secretEnv, "limit": &limit, AttrFilters: &filters} {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), target)...)
	}
	if resp.Diagnostics.HasError() || d.Data == nil {
		return
	}

	envName := DefaultSecretEnv
	if !secretEnv.IsNull() {
		envName = secretEnv.ValueString()
	}
	secret := os.Getenv(envName)
	if secret == "" {
		resp.Diagnostics.AddAttributeError(path.Root("client_secret_env"), "Client secret not set",
			fmt.Sprintf("The environment variable %s is not set or empty. Set it to the value of the service principal's "+
				"client secret (not the secret's id) in the environment that runs Terraform, or name another variable "+
				"in client_secret_env.", envName))
		return
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secret)
	ctx = tflog.MaskMessageStrings(ctx, secret)

	f := FiltersFrom(ctx, filters, &resp.Diagnostics)
	creds := powerbi.Credentials{TenantID: tenantID.ValueString(), ClientID: clientID.ValueString(), ClientSecret: secret}
	inv, err := Read(ctx, d.Data.PowerBI, creds, f.Workspaces)
	if err != nil {
		resp.Diagnostics.AddError("Could not preview the Power BI filters", err.Error()+
			"\n\nDeclare this data source inside a check block to have a failure reported as a warning instead of failing the plan.")
		return
	}
	AddWarnings(&resp.Diagnostics, Warnings(inv, f))

	n := defaultDataSourceLimit
	if !limit.IsNull() {
		n = int(limit.ValueInt64())
	}
	for name, v := range Select(inv, f).AttrValues(n) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}
