package dataproduct

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
// "entropydata_powerbi_data_product"` blocks of `terraform query` (Terraform
// 1.14+). It shares the resource's Metadata and Configure, and every listed
// data product is what importing it would put in state.
func NewListResource() list.ListResource { return &listResource{} }

type listResource struct {
	dataProductResource
}

type listConfig struct {
	OwnerTeam types.String `tfsdk:"owner_team"`
	Type      types.String `tfsdk:"type"`
	Title     types.String `tfsdk:"title"`
	ID        types.String `tfsdk:"id"`
}

func (l *listResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the organization's Power BI data products (types `" + typeIDs[TypeSemanticModel] +
			"` and `" + typeIDs[TypeReport] + "`) for `terraform query`, so that `terraform query " +
			"-generate-config-out=FILE` writes an import block and a resource block for each. Patterns use `*` as " +
			"the only wildcard and match the whole value, case-insensitively.",
		Attributes: map[string]schema.Attribute{
			"owner_team": schema.StringAttribute{
				MarkdownDescription: "Only data products this team owns.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only `" + TypeSemanticModel + "` or only `" + TypeReport + "` data products.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(TypeSemanticModel, TypeReport)},
			},
			"title": schema.StringAttribute{
				MarkdownDescription: "Only data products whose title matches this pattern, e.g. `Revenue*`.",
				Optional:            true,
				Validators:          []validator.String{validate.Pattern()},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "Only data products whose id matches this pattern, e.g. `finance-*`.",
				Optional:            true,
				Validators:          []validator.String{validate.Pattern()},
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
	kinds := []string{TypeSemanticModel, TypeReport}
	if t := c.Type.ValueString(); t != "" {
		kinds = []string{t}
	}
	titles := map[string]string{}
	var ids []string
	for _, t := range kinds {
		items, err := l.data.Client.ListDataProducts(ctx, entropydata.ListDataProductsOptions{
			Archetype: typeIDs[t], TeamID: c.OwnerTeam.ValueString(),
		})
		if err != nil {
			providerdata.AddAPIError(&diags, "Could not list the Power BI data products", err)
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
		// The query parameters are filters a server may not know: check again.
		for _, dp := range items {
			switch {
			case dp.Info.Archetype != typeIDs[t],
				c.OwnerTeam.ValueString() != "" && dp.Info.Owner != c.OwnerTeam.ValueString(),
				!listing.Matches(c.Title.ValueString(), dp.Info.Title),
				!listing.Matches(c.ID.ValueString(), dp.ID):
				continue
			}
			if _, seen := titles[dp.ID]; !seen {
				ids = append(ids, dp.ID)
				titles[dp.ID] = dp.Info.Title
			}
		}
	}
	sort.Strings(ids)
	stream.Results = listing.Emit(req.Limit, ids, func(id string) list.ListResult {
		return listing.Result(ctx, &l.dataProductResource, req, id, titles[id])
	})
}
