package tfcatalog

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

// patternRules is how every pattern attribute explains the matcher.
const patternRules = "`*` is the only wildcard (any run of characters, also none); the pattern matches the whole " +
	"name, case-insensitively; a GUID matches the object's Power BI id."

// queryAttributes are the filters both data sources take, their
// descriptions after prefix; the single data source's name doubles as the
// found item's name.
func (k Kind[T]) queryAttributes(prefix string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"integration": schema.StringAttribute{
			MarkdownDescription: prefix + k.Plural + " imported by the integration with this `external_id` (exact).",
			Optional:            true,
			Validators:          []validator.String{validate.ExternalID()},
		},
		"workspace": schema.StringAttribute{
			MarkdownDescription: prefix + k.Plural + " in a workspace whose name matches this pattern, or whose id " +
				"is this GUID. " + patternRules,
			Optional:   true,
			Validators: []validator.String{validate.Pattern()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: prefix + k.Plural + " whose name matches this pattern. " + patternRules,
			Optional:            true,
			Validators:          []validator.String{validate.Pattern()},
		},
	}
}

// base is what the list and single data sources share: the data source
// shape every data source embeds, and a catalog reader.
type base struct {
	providerdata.DataSource
	reader *catalog.Reader
}

func (b *base) Configure(ctx context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.DataSource.Configure(ctx, req, resp)
	if b.Data != nil {
		b.reader = catalog.New(b.Data.Client)
	}
}

// query reads the filters from the configuration.
func query(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) catalog.Query {
	var q catalog.Query
	for name, dst := range map[string]*string{"integration": &q.Integration, "workspace": &q.Workspace, "name": &q.Name} {
		var v types.String
		diags.Append(cfg.GetAttribute(ctx, path.Root(name), &v)...)
		*dst = v.ValueString()
	}
	return q
}

// integrationExists reports whether the integration is known; errors other
// than 404 count as "exists", as the check only refines a message.
func (b *base) integrationExists(ctx context.Context, externalID string) bool {
	ok, _ := b.checkIntegration(ctx, externalID)
	return ok
}

// checkIntegration reports whether the integration exists, or the error
// that kept it from finding out.
func (b *base) checkIntegration(ctx context.Context, externalID string) (bool, error) {
	_, err := b.Data.Client.GetIntegration(ctx, externalID)
	if entropydata.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

var _ datasource.DataSourceWithConfigure = (*listDataSource[catalog.Report])(nil)

type listDataSource[T any] struct {
	base
	kind Kind[T]
}

// NewListDataSource returns the data source listing the kind's assets, e.g.
// entropydata_powerbi_semantic_models.
func NewListDataSource[T any](k Kind[T]) datasource.DataSource {
	return &listDataSource[T]{base: base{DataSource: providerdata.DataSource{TypeName: k.listTypeName()}}, kind: k}
}

func (d *listDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.kind
	attrs := k.queryAttributes("Only ")
	attrs["ids"] = schema.ListAttribute{
		MarkdownDescription: "The asset ids of the " + k.Plural + ", in the same order: convenient for `for_each = toset(...)`.",
		ElementType:         types.StringType,
		Computed:            true,
	}
	attrs["names"] = schema.MapAttribute{
		MarkdownDescription: "The names of the " + k.Plural + " by asset id: the cheapest `for_each` over them " +
			"(`for_each = data.<...>.names`, with the asset id as `each.key` and the name as `each.value`). Terraform " +
			"evaluates a resource's `for_each` expression again for every instance, so a `for` expression over `" +
			k.ListAttribute + "` costs it time in proportion to the instances times the " + k.Plural + ".",
		ElementType: types.StringType,
		Computed:    true,
	}
	attrs[k.ListAttribute] = ComputedList("The matching "+k.Plural+", sorted by workspace name, then name, then id, "+
		"so the order only changes when the catalog does. Empty when nothing matches.", k.itemAttributes())
	if det := k.Detail; det != nil {
		attrs[det.Flag] = schema.BoolAttribute{
			MarkdownDescription: "Also read the " + det.Attribute + " into `" + det.Attribute + "` (default `false`). " +
				"Leave it off when you only iterate the " + k.Plural + ": it can cost a request per " + k.Name +
				" and makes the data source much larger.",
			Optional: true,
		}
		attrs[det.Attribute] = schema.MapAttribute{
			MarkdownDescription: det.ListDescription,
			ElementType:         det.Schema.GetType(),
			Computed:            true,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: k.ListDescription + " Lists the " + k.Plural + " that match all the filters given; " +
			"without filters, all imported " + k.Plural + ".",
		Attributes: attrs,
	}
}

func (d *listDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	k := d.kind
	q := query(ctx, req.Config, &resp.Diagnostics)
	if det := k.Detail; det != nil {
		var flag types.Bool
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(det.Flag), &flag)...)
		q.Tables = flag.ValueBool()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	items, err := k.List(d.reader, ctx, q)
	if err != nil {
		providerdata.AddAPIError(&resp.Diagnostics, "Could not list the Power BI "+k.Plural, err)
		return
	}
	// An empty list from a mistyped or not yet created integration would,
	// under for_each, plan to destroy everything built from it: that is an
	// error, and so is not being able to tell.
	if len(items) == 0 && q.Integration != "" {
		switch ok, err := d.checkIntegration(ctx, q.Integration); {
		case err != nil:
			providerdata.AddAPIError(&resp.Diagnostics, "Could not check the integration", err)
			return
		case !ok:
			providerdata.AddUnknownIntegration(&resp.Diagnostics, q.Integration)
			return
		}
	}
	itemType := ObjectType(k.itemAttributes())
	ids := make([]attr.Value, len(items))
	names := make(map[string]attr.Value, len(items))
	objs := make([]attr.Value, len(items))
	for i := range items {
		obj, diags := types.ObjectValue(itemType.AttrTypes, k.itemValues(&items[i]))
		resp.Diagnostics.Append(diags...)
		objs[i] = obj
		s := k.Summary(&items[i])
		ids[i] = types.StringValue(s.AssetID)
		names[s.AssetID] = types.StringValue(s.Name)
	}
	list, diags := types.ListValue(itemType, objs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	computed := map[string]attr.Value{
		"ids":           types.ListValueMust(types.StringType, ids),
		"names":         types.MapValueMust(types.StringType, names),
		k.ListAttribute: list,
	}
	if det := k.Detail; det != nil {
		details := types.MapNull(det.Schema.GetType())
		if q.Tables {
			byID := make(map[string]attr.Value, len(items))
			for i := range items {
				byID[k.Summary(&items[i]).AssetID] = det.Value(&items[i])
			}
			details = types.MapValueMust(det.Schema.GetType(), byID)
		}
		computed[det.Attribute] = details
	}
	setComputed(ctx, req.Config, computed, &resp.State, &resp.Diagnostics)
}

// setComputed sets the state to the configuration plus the computed
// attributes, in one conversion: setting them one by one would walk the
// whole state again for each, which for a large catalog is most of a read.
func setComputed(ctx context.Context, config tfsdk.Config, computed map[string]attr.Value, state *tfsdk.State, diags *diag.Diagnostics) {
	var attrs map[string]tftypes.Value
	if err := config.Raw.As(&attrs); err != nil {
		diags.AddError("Unexpected configuration value", "This is a bug in the provider; please report it: "+err.Error())
		return
	}
	for name, v := range computed {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Could not convert the value", "This is a bug in the provider; please report it: "+err.Error())
			return
		}
		attrs[name] = tv
	}
	state.Raw = tftypes.NewValue(config.Raw.Type(), attrs)
}
