package filterpreview

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

// Attribute names of the filters. Warnings and errors about a pattern point
// at filters.<kind>.include[i] or .exclude[i], the same path in the resource
// and in the data source.
const (
	AttrFilters        = "filters"
	AttrWorkspaces     = "workspaces"
	AttrSemanticModels = "semantic_models"
	AttrReports        = "reports"
)

// kind is one of the three filtered kinds of Power BI items.
type kind struct {
	attr string // attribute under filters
	one  string // singular noun, for messages
	many string // plural noun
}

var (
	kindWorkspace = kind{AttrWorkspaces, "workspace", "workspaces"}
	kindModel     = kind{AttrSemanticModels, "semantic model", "semantic models"}
	kindReport    = kind{AttrReports, "report", "reports"}
	kinds         = []kind{kindWorkspace, kindModel, kindReport}
)

// PatternFilterAttrTypes is the type of one filter (include and exclude).
var PatternFilterAttrTypes = map[string]attr.Type{
	"include": types.ListType{ElemType: types.StringType},
	"exclude": types.ListType{ElemType: types.StringType},
}

// FiltersAttrTypes is the type of the filters attribute.
var FiltersAttrTypes = map[string]attr.Type{
	AttrWorkspaces:     types.ObjectType{AttrTypes: PatternFilterAttrTypes},
	AttrSemanticModels: types.ObjectType{AttrTypes: PatternFilterAttrTypes},
	AttrReports:        types.ObjectType{AttrTypes: PatternFilterAttrTypes},
}

const filtersDescription = "What to import. Without filters, everything the service principal can see is imported."

func includeDescription(k kind) string {
	return "Patterns of " + k.many + " to import; empty means all. `*` matches any run of characters; a pattern " +
		"matches the whole name, case-insensitively; a GUID matches the object's id."
}

func excludeDescription(k kind) string {
	return "Patterns of " + k.many + " to leave out. Exclude always wins over include."
}

func patternValidators() []validator.List {
	return []validator.List{
		listvalidator.ValueStringsAre(validate.Pattern()),
		listvalidator.UniqueValues(),
		listvalidator.SizeAtMost(500),
	}
}

// ResourceFiltersAttribute is the filters attribute of a resource: every
// part defaults to empty, so the state always holds all six lists.
func ResourceFiltersAttribute() rschema.SingleNestedAttribute {
	emptyList := listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{}))
	patterns := func(description string) rschema.ListAttribute {
		return rschema.ListAttribute{MarkdownDescription: description, ElementType: types.StringType,
			Optional: true, Computed: true, Default: emptyList, Validators: patternValidators()}
	}
	attrs := map[string]rschema.Attribute{}
	for _, k := range kinds {
		attrs[k.attr] = rschema.SingleNestedAttribute{
			MarkdownDescription: "Which " + k.many + " to import.",
			Optional:            true,
			Computed:            true,
			Default:             objectdefault.StaticValue(emptyPatternFilter()),
			Attributes:          map[string]rschema.Attribute{"include": patterns(includeDescription(k)), "exclude": patterns(excludeDescription(k))},
		}
	}
	return rschema.SingleNestedAttribute{MarkdownDescription: filtersDescription, Optional: true, Computed: true,
		Default: objectdefault.StaticValue(EmptyFilters()), Attributes: attrs}
}

// DataSourceFiltersAttribute is the same filters attribute for a data
// source, where an omitted list simply means empty.
func DataSourceFiltersAttribute() dschema.SingleNestedAttribute {
	patterns := func(description string) dschema.ListAttribute {
		return dschema.ListAttribute{MarkdownDescription: description, ElementType: types.StringType,
			Optional: true, Validators: patternValidators()}
	}
	attrs := map[string]dschema.Attribute{}
	for _, k := range kinds {
		attrs[k.attr] = dschema.SingleNestedAttribute{
			MarkdownDescription: "Which " + k.many + " to select.",
			Optional:            true,
			Attributes:          map[string]dschema.Attribute{"include": patterns(includeDescription(k)), "exclude": patterns(excludeDescription(k))},
		}
	}
	return dschema.SingleNestedAttribute{MarkdownDescription: filtersDescription, Optional: true, Attributes: attrs}
}

func emptyPatternFilter() types.Object {
	empty := types.ListValueMust(types.StringType, []attr.Value{})
	return types.ObjectValueMust(PatternFilterAttrTypes, map[string]attr.Value{"include": empty, "exclude": empty})
}

// EmptyFilters is the filters value that selects everything.
func EmptyFilters() types.Object {
	return types.ObjectValueMust(FiltersAttrTypes, map[string]attr.Value{
		AttrWorkspaces: emptyPatternFilter(), AttrSemanticModels: emptyPatternFilter(), AttrReports: emptyPatternFilter(),
	})
}

// previewFields describe the preview, shared by the resource's
// filter_preview attribute and the data source's top-level attributes.
var previewFields = []struct {
	name, description string
	typ               attr.Type
}{
	{"workspaces", "Names of the workspaces the filters select.", types.ListType{ElemType: types.StringType}},
	{"workspace_count", "How many workspaces the filters select.", types.Int64Type},
	{"semantic_models", "The selected semantic models, as `workspace/model`.", types.ListType{ElemType: types.StringType}},
	{"semantic_model_count", "How many semantic models the filters select.", types.Int64Type},
	{"reports", "The selected reports, as `workspace/report`.", types.ListType{ElemType: types.StringType}},
	{"report_count", "How many reports the filters select.", types.Int64Type},
	{"unselected_workspaces", "Names of the workspaces the service principal can see but the workspace filter leaves out.", types.ListType{ElemType: types.StringType}},
	{"truncated", "Whether a list of names was cut at the limit; the counts are always complete.", types.BoolType},
}

// PreviewAttrTypes is the type of the resource's filter_preview attribute.
var PreviewAttrTypes = func() map[string]attr.Type {
	m := map[string]attr.Type{}
	for _, f := range previewFields {
		m[f.name] = f.typ
	}
	return m
}()

// ResourcePreviewAttributes are the computed attributes of the preview
// inside a resource; DataSourcePreviewAttributes the same for a data source.
func ResourcePreviewAttributes() map[string]rschema.Attribute {
	return previewAttributes(
		func(d string) rschema.Attribute {
			return rschema.Int64Attribute{MarkdownDescription: d, Computed: true}
		},
		func(d string) rschema.Attribute { return rschema.BoolAttribute{MarkdownDescription: d, Computed: true} },
		func(d string) rschema.Attribute {
			return rschema.ListAttribute{MarkdownDescription: d, Computed: true, ElementType: types.StringType}
		})
}

// DataSourcePreviewAttributes: see ResourcePreviewAttributes.
func DataSourcePreviewAttributes() map[string]dschema.Attribute {
	return previewAttributes(
		func(d string) dschema.Attribute {
			return dschema.Int64Attribute{MarkdownDescription: d, Computed: true}
		},
		func(d string) dschema.Attribute { return dschema.BoolAttribute{MarkdownDescription: d, Computed: true} },
		func(d string) dschema.Attribute {
			return dschema.ListAttribute{MarkdownDescription: d, Computed: true, ElementType: types.StringType}
		})
}

func previewAttributes[A any](number, boolean, list func(description string) A) map[string]A {
	out := map[string]A{}
	for _, f := range previewFields {
		switch f.typ {
		case types.Int64Type:
			out[f.name] = number(f.description)
		case types.BoolType:
			out[f.name] = boolean(f.description)
		default:
			out[f.name] = list(f.description)
		}
	}
	return out
}
