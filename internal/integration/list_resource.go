package integration

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/listing"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

var _ list.ListResourceWithConfigure = (*listResource)(nil)

// NewListResource returns the list resource behind `list
// "entropydata_powerbi_integration"` blocks of `terraform query` (Terraform
// 1.14+). It shares the resource's Metadata and Configure, and every listed
// integration is what importing it would put in state.
func NewListResource() list.ListResource { return &listResource{} }

type listResource struct {
	integrationResource
}

type listConfig struct {
	OwnerTeam types.String `tfsdk:"owner_team"`
	Name      types.String `tfsdk:"name"`
	Enabled   types.Bool   `tfsdk:"enabled"`
}

func (l *listResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the organization's Power BI integrations for `terraform query`, so that " +
			"`terraform query -generate-config-out=FILE` writes an import block and a resource block for each. " +
			"Entropy Data never returns the service principal, so the generated `credentials` is null: the integration " +
			"keeps the stored one, and the plan after the import is empty. Set `credentials` to take it over.",
		Attributes: map[string]schema.Attribute{
			"owner_team": schema.StringAttribute{
				MarkdownDescription: "Only integrations whose assets this team owns.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Only integrations whose name matches this pattern: `*` is the only wildcard, the " +
					"pattern matches the whole name, case-insensitively (as in `filters`).",
				Optional:   true,
				Validators: []validator.String{validate.Pattern()},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Only enabled (`true`) or disabled (`false`) integrations.",
				Optional:            true,
			},
		},
	}
}

func (l *listResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var c listConfig
	diags := req.Config.Get(ctx, &c)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	opts := entropydata.ListIntegrationsOptions{Source: entropydata.SourcePowerBI, OwningTeamExternalID: c.OwnerTeam.ValueString()}
	if !c.Enabled.IsNull() {
		enabled := c.Enabled.ValueBool()
		opts.Enabled = &enabled
	}
	items, err := l.data.Client.ListIntegrations(ctx, opts)
	if entropydata.IsNotFound(err) && ExplainUnavailable(ctx, l.data.Client, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if err != nil {
		providerdata.AddAPIError(&diags, "Could not list the Power BI integrations", err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	// The query parameters are filters a server may not know: check again.
	names := map[string]string{}
	var ids []string
	for _, in := range items {
		owner := ""
		if in.AssetOwnerTeamExternalID != nil {
			owner = *in.AssetOwnerTeamExternalID
		}
		switch {
		case in.Source != "" && in.Source != entropydata.SourcePowerBI,
			opts.OwningTeamExternalID != "" && owner != opts.OwningTeamExternalID,
			opts.Enabled != nil && in.Enabled != *opts.Enabled,
			!listing.Matches(c.Name.ValueString(), in.Name):
			continue
		}
		ids = append(ids, in.ExternalID)
		names[in.ExternalID] = in.Name
	}
	sort.Strings(ids)
	stream.Results = listing.Emit(req.Limit, ids, func(id string) list.ListResult {
		return listing.Result(ctx, &l.integrationResource, req, id, names[id])
	})
}
