package tfcatalog

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// maxListedMatches bounds the matches an ambiguity error lists.
const maxListedMatches = 10

var _ datasource.DataSourceWithConfigValidators = (*singleDataSource[catalog.Report])(nil)

type singleDataSource[T any] struct {
	base
	kind Kind[T]
}

// NewDataSource returns the data source that finds exactly one asset of
// the kind, by id or by name, e.g. entropydata_powerbi_semantic_model.
func NewDataSource[T any](k Kind[T]) datasource.DataSource {
	return &singleDataSource[T]{base: base{DataSource: providerdata.DataSource{TypeName: k.TypeName}}, kind: k}
}

func (d *singleDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	k := d.kind
	attrs := k.itemAttributes()
	if k.Detail != nil {
		attrs[k.Detail.Attribute] = k.Detail.Schema
	}
	filters := k.queryAttributes("With `name`: only ")
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Asset id to look up, `powerbi-<GUID>`; give either `id` or `name`. After a lookup by " +
			"name, the asset id of the " + k.Name + " found: what `entropydata_powerbi_data_product` takes as `asset_id`.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["name"] = schema.StringAttribute{ //nolint:forcetypeassert // queryAttributes builds string attributes
		MarkdownDescription: "Name pattern to look up; give either `id` or `name`. " + patternRules + " Exactly one " +
			k.Name + " must match: narrow the lookup with `workspace` and `integration`. After the lookup, the " +
			k.Name + "'s name in Power BI.",
		Optional:   true,
		Computed:   true,
		Validators: filters["name"].(schema.StringAttribute).Validators,
	}
	integration := filters["integration"].(schema.StringAttribute) //nolint:forcetypeassert // as above
	integration.MarkdownDescription += " After the lookup, the integration that imported the " + k.Name + "."
	integration.Computed = true
	attrs["integration"] = integration
	attrs["workspace"] = filters["workspace"]
	resp.Schema = schema.Schema{
		MarkdownDescription: k.Description + " It is found by asset `id` or by `name`; the lookup fails when no " +
			k.Name + " or several match.",
		Attributes: attrs,
	}
}

func (d *singleDataSource[T]) ConfigValidators(context.Context) []datasource.ConfigValidator {
	id := path.MatchRoot("id")
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(id, path.MatchRoot("name")),
		datasourcevalidator.Conflicting(id, path.MatchRoot("workspace")),
		datasourcevalidator.Conflicting(id, path.MatchRoot("integration")),
	}
}

func (d *singleDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	q := query(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	q.Tables = true // one item: its detail is cheap
	var item *T
	if !id.IsNull() {
		item = d.byID(ctx, id.ValueString(), &resp.Diagnostics)
	} else {
		item = d.byName(ctx, q, &resp.Diagnostics)
	}
	if item == nil {
		return
	}
	for name, v := range d.kind.itemValues(item) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
	if det := d.kind.Detail; det != nil {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(det.Attribute), det.Value(item))...)
	}
}

func (d *singleDataSource[T]) byID(ctx context.Context, id string, diags *diag.Diagnostics) *T {
	k := d.kind
	item, err := k.Get(d.reader, ctx, id)
	var wrongKind *catalog.WrongKindError
	switch {
	case err == nil:
		return item
	case errors.Is(err, catalog.ErrAssetNotFound):
		diags.AddAttributeError(path.Root("id"), "No such asset",
			fmt.Sprintf("Entropy Data has no asset with id %q. The asset ids of imported Power BI %s are "+
				"powerbi-<GUID>, with the %s's Power BI id in lower case; the %s data source lists them.",
				id, k.Plural, k.Name, d.listDataSource()))
	case errors.As(err, &wrongKind):
		detail := strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + "."
		if ds := dataSourceFor(wrongKind.Got); ds != "" {
			detail += " Use the " + ds + " data source for it."
		}
		diags.AddAttributeError(path.Root("id"), "Not a Power BI "+k.Name, detail)
	default:
		providerdata.AddAPIError(diags, "Could not read the Power BI "+k.Name, err)
	}
	return nil
}

func (d *singleDataSource[T]) byName(ctx context.Context, q catalog.Query, diags *diag.Diagnostics) *T {
	k := d.kind
	items, err := k.List(d.reader, ctx, q)
	switch {
	case err != nil:
		providerdata.AddAPIError(diags, "Could not look up the Power BI "+k.Name, err)
	case len(items) == 0:
		diags.AddAttributeError(path.Root("name"), "No matching Power BI "+k.Name, d.noMatch(ctx, q))
	case len(items) > 1:
		diags.AddAttributeError(path.Root("name"), "Several Power BI "+k.Plural+" match", d.severalMatch(q, items))
	default:
		return &items[0]
	}
	return nil
}

// listDataSource is the full name of the kind's list data source, for hints.
func (d *singleDataSource[T]) listDataSource() string { return "entropydata_" + d.kind.listTypeName() }

// noMatch says what was searched and how to find more.
func (d *singleDataSource[T]) noMatch(ctx context.Context, q catalog.Query) string {
	k := d.kind
	var b strings.Builder
	fmt.Fprintf(&b, "No imported Power BI %s matches %s.\n", k.Name, q)
	if q.Integration != "" && !d.integrationExists(ctx, q.Integration) {
		fmt.Fprintf(&b, "\nEntropy Data has no integration with external id %q: check it (it is the integration's "+
			"external_id, not its name). If the integration is created in this configuration, set integration = "+
			"entropydata_powerbi_integration.<name>.external_id or add depends_on = [entropydata_powerbi_integration.<name>] "+
			"so that this data source reads after it.\n", q.Integration)
	}
	b.WriteString("\nTo widen the search:\n")
	b.WriteString("  - Patterns match the whole name, case-insensitively, and * is the only wildcard")
	if !strings.Contains(q.Name, "*") {
		fmt.Fprintf(&b, ": %q also finds the names that start with %q", q.Name+"*", q.Name)
	}
	b.WriteString(".\n")
	if q.Workspace != "" || q.Integration != "" {
		b.WriteString("  - Remove workspace or integration to search all workspaces and integrations.\n")
	}
	fmt.Fprintf(&b, "  - Only imported %s can be found: make sure an integration imports the workspace and has run "+
		"since the %s was created (run_on_apply = true on entropydata_powerbi_integration runs it on apply).\n", k.Plural, k.Name)
	fmt.Fprintf(&b, "  - The %s data source lists what has been imported.", d.listDataSource())
	return b.String()
}

// severalMatch lists the matches and how to pick one.
func (d *singleDataSource[T]) severalMatch(q catalog.Query, items []T) string {
	k := d.kind
	var b strings.Builder
	fmt.Fprintf(&b, "%d imported Power BI %s match %s:\n", len(items), k.Plural, q)
	for i := range min(len(items), maxListedMatches) {
		s := k.Summary(&items[i])
		fmt.Fprintf(&b, "  - %q in workspace %q, imported by %q (id %s)\n", s.Name, s.WorkspaceName, s.Integration, s.AssetID)
	}
	if len(items) > maxListedMatches {
		fmt.Fprintf(&b, "  - and %d more\n", len(items)-maxListedMatches)
	}
	fmt.Fprintf(&b, "\nThis data source needs exactly one. Add workspace or integration to narrow the lookup, make name "+
		"more specific, or look the %s up by id. To use all of them, use the %s data source.", k.Name, d.listDataSource())
	return b.String()
}
