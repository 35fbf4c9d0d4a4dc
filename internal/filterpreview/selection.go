package filterpreview

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// Selection is what the filters select, by name: workspaces by their name,
// semantic models and reports as "workspace/name", in Discover's order.
type Selection struct {
	Workspaces           []string
	SemanticModels       []string
	Reports              []string
	UnselectedWorkspaces []string
}

// Select applies the semantic model and report filters to the inventory
// (whose workspaces the workspace filter already chose).
func Select(inv *Inventory, f powerbi.Filters) Selection {
	s := Selection{Workspaces: []string{}, SemanticModels: []string{}, Reports: []string{}, UnselectedWorkspaces: []string{}}
	for _, w := range inv.Selected {
		s.Workspaces = append(s.Workspaces, w.Name)
		s.SemanticModels = appendSelected(s.SemanticModels, w.Name, w.SemanticModels, f.SemanticModels)
		s.Reports = appendSelected(s.Reports, w.Name, w.Reports, f.Reports)
	}
	for _, u := range inv.Unselected {
		s.UnselectedWorkspaces = append(s.UnselectedWorkspaces, u.Name)
	}
	return s
}

func appendSelected(out []string, workspace string, items []Item, f powerbi.Filter) []string {
	for _, it := range items {
		if f.Matches(it.Name, it.ID) {
			out = append(out, workspace+"/"+it.Name)
		}
	}
	return out
}

// AttrValues are the preview's attribute values, with each list of names
// cut after limit entries (the counts stay complete).
func (s Selection) AttrValues(limit int) map[string]attr.Value {
	truncated := false
	list := func(names []string) types.List {
		if len(names) > limit {
			names, truncated = names[:limit], true
		}
		return StringList(names)
	}
	values := map[string]attr.Value{
		"workspaces":            list(s.Workspaces),
		"workspace_count":       types.Int64Value(int64(len(s.Workspaces))),
		"semantic_models":       list(s.SemanticModels),
		"semantic_model_count":  types.Int64Value(int64(len(s.SemanticModels))),
		"reports":               list(s.Reports),
		"report_count":          types.Int64Value(int64(len(s.Reports))),
		"unselected_workspaces": list(s.UnselectedWorkspaces),
	}
	values["truncated"] = types.BoolValue(truncated) // after the lists are cut
	return values
}

// Object is the preview as the resource's filter_preview value.
func (s Selection) Object(limit int) types.Object {
	return types.ObjectValueMust(PreviewAttrTypes, s.AttrValues(limit))
}
