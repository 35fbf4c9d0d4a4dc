package filterpreview

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

type filtersModel struct {
	Workspaces     types.Object `tfsdk:"workspaces"`
	SemanticModels types.Object `tfsdk:"semantic_models"`
	Reports        types.Object `tfsdk:"reports"`
}

type patternFilterModel struct {
	Include types.List `tfsdk:"include"`
	Exclude types.List `tfsdk:"exclude"`
}

var asOpts = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

// FiltersFrom converts a filters value to the matcher's form. Null parts
// are empty (select everything); lists are never nil. Check FiltersKnown
// first: unknown parts are read as empty too.
func FiltersFrom(ctx context.Context, obj types.Object, diags *diag.Diagnostics) powerbi.Filters {
	var f filtersModel
	if !obj.IsNull() && !obj.IsUnknown() {
		diags.Append(obj.As(ctx, &f, asOpts)...)
	}
	return powerbi.Filters{
		Workspaces:     patternFilterFrom(ctx, f.Workspaces, diags),
		SemanticModels: patternFilterFrom(ctx, f.SemanticModels, diags),
		Reports:        patternFilterFrom(ctx, f.Reports, diags),
	}
}

func patternFilterFrom(ctx context.Context, obj types.Object, diags *diag.Diagnostics) powerbi.Filter {
	out := powerbi.Filter{Include: []string{}, Exclude: []string{}}
	if obj.IsNull() || obj.IsUnknown() {
		return out
	}
	var pf patternFilterModel
	diags.Append(obj.As(ctx, &pf, asOpts)...)
	if !pf.Include.IsNull() && !pf.Include.IsUnknown() {
		diags.Append(pf.Include.ElementsAs(ctx, &out.Include, false)...)
	}
	if !pf.Exclude.IsNull() && !pf.Exclude.IsUnknown() {
		diags.Append(pf.Exclude.ElementsAs(ctx, &out.Exclude, false)...)
	}
	return out
}

// FiltersKnown reports whether every pattern is known, so that the filters
// can be evaluated now rather than at apply.
func FiltersKnown(obj types.Object) bool { return fullyKnown(obj) }

// fullyKnown reports whether v and everything in it is known.
func fullyKnown(v attr.Value) bool {
	if v.IsUnknown() {
		return false
	}
	switch t := v.(type) {
	case types.Object:
		for _, a := range t.Attributes() {
			if !fullyKnown(a) {
				return false
			}
		}
	case types.List:
		for _, e := range t.Elements() {
			if !fullyKnown(e) {
				return false
			}
		}
	}
	return true
}

// FiltersValue converts filters back to their attribute value; nil lists
// become empty ones, as the resource's defaults are.
func FiltersValue(f powerbi.Filters) types.Object {
	pf := func(p powerbi.Filter) types.Object {
		return types.ObjectValueMust(PatternFilterAttrTypes, map[string]attr.Value{
			"include": StringList(p.Include), "exclude": StringList(p.Exclude),
		})
	}
	return types.ObjectValueMust(FiltersAttrTypes, map[string]attr.Value{
		AttrWorkspaces: pf(f.Workspaces), AttrSemanticModels: pf(f.SemanticModels), AttrReports: pf(f.Reports),
	})
}

// StringList is a list value of the strings; nil gives an empty list.
func StringList(values []string) types.List {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.ListValueMust(types.StringType, elems)
}
