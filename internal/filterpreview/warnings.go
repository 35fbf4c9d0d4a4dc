package filterpreview

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// Warning is a diagnostic about one attribute, such as
// filters.workspaces.include[2].
type Warning struct {
	Path    path.Path
	Summary string
	Detail  string
}

// AddWarnings adds each warning to diags, on its attribute.
func AddWarnings(diags *diag.Diagnostics, warnings []Warning) {
	for _, w := range warnings {
		diags.AddAttributeWarning(w.Path, w.Summary, w.Detail)
	}
}

// Summaries of the warnings, for callers and tests that look for them.
const (
	SummaryNotVisible       = "Workspace not visible to the service principal"
	SummaryMatchesNothing   = "Include pattern matches nothing"
	SummaryExcludeOverrides = "Exclude overrides an explicit include"
	SummaryNoWorkspace      = "The filters select no workspace"
	SummarySeesNothing      = "The service principal sees no workspace"
	SummarySkipped          = "Workspace skipped in the preview"
)

// FilterPath is the path of filters.<kind>.<list>, e.g. ("workspaces",
// "include") for filters.workspaces.include.
func FilterPath(kindAttr, list string) path.Path {
	return path.Root(AttrFilters).AtName(kindAttr).AtName(list)
}

// candidate is an item a pattern could match; workspace is "" for workspaces.
type candidate struct {
	Item
	workspace string
}

func (c candidate) String() string {
	if c.workspace == "" {
		return fmt.Sprintf("%q", c.Name)
	}
	return fmt.Sprintf("%q in workspace %q", c.Name, c.workspace)
}

// Warnings reviews the filters against what the service principal can see:
// an include pattern that matches nothing; a workspace an include names
// exactly that the principal cannot see (Power BI hides workspaces a
// principal is not a member of, so "named exactly but not visible" is the
// only signal there is); an exclude that removes something an include names
// exactly; and filters that select no workspace at all.
func Warnings(inv *Inventory, f powerbi.Filters) []Warning {
	var out []Warning
	for _, note := range inv.Notes {
		out = append(out, Warning{path.Root(AttrFilters).AtName(AttrWorkspaces), SummarySkipped, note})
	}
	visible := inv.visible()
	if len(visible) == 0 {
		return append(out, Warning{path.Root(AttrFilters), SummarySeesNothing,
			"Power BI shows the service principal no workspace at all, so the integration would import nothing. Add the " +
				"service principal (or a security group it is in) to each workspace to import, with at least the Viewer role."})
	}
	var workspaces []candidate
	for _, w := range visible {
		workspaces = append(workspaces, candidate{Item: w})
	}
	scope := fmt.Sprintf("the %d workspaces the service principal can see (%s)", len(workspaces), sample(workspaces))
	out = append(out, patternWarnings(kindWorkspace, f.Workspaces, workspaces, scope)...)

	if len(inv.Selected) == 0 {
		return append(out, Warning{path.Root(AttrFilters).AtName(AttrWorkspaces), SummaryNoWorkspace,
			fmt.Sprintf("Of %s, the workspace filter selects none, so the integration would import nothing, and its next "+
				"run would remove what it imported before.", scope)})
	}
	var models, reports []candidate
	for _, w := range inv.Selected {
		for _, m := range w.SemanticModels {
			models = append(models, candidate{m, w.Name})
		}
		for _, r := range w.Reports {
			reports = append(reports, candidate{r, w.Name})
		}
	}
	in := fmt.Sprintf(" in the %d selected workspaces", len(inv.Selected))
	out = append(out, patternWarnings(kindModel, f.SemanticModels, models,
		fmt.Sprintf("the %d semantic models%s", len(models), in))...)
	out = append(out, patternWarnings(kindReport, f.Reports, reports,
		fmt.Sprintf("the %d reports%s", len(reports), in))...)
	return out
}

// patternWarnings checks one filter against the items it applies to.
func patternWarnings(k kind, f powerbi.Filter, items []candidate, scope string) []Warning {
	var out []Warning
	matching := func(pattern string) []candidate {
		var hits []candidate
		for _, c := range items {
			if powerbi.MatchPattern(pattern, c.Name, c.ID) {
				hits = append(hits, c)
			}
		}
		return hits
	}
	for i, p := range f.Include {
		if len(matching(p)) > 0 {
			continue
		}
		at := FilterPath(k.attr, "include").AtListIndex(i)
		switch {
		case !isExact(p):
			out = append(out, Warning{at, SummaryMatchesNothing, fmt.Sprintf(
				"%s (%q) matches none of %s, so it selects nothing. A pattern matches the whole name, "+
					"case-insensitively, and `*` is the only wildcard.", at, p, scope)})
		case k == kindWorkspace:
			out = append(out, Warning{at, SummaryNotVisible, fmt.Sprintf(
				"%s names the workspace %q exactly, but the service principal sees no workspace with that name or id. "+
					"Either it does not exist, or the principal has no role in it: Power BI hides the workspaces a "+
					"principal is not a member of, so the two look the same. Add the service principal (or a security "+
					"group it is in) to the workspace with at least the Viewer role, or correct the name. The pattern was "+
					"matched against %s.", at, p, scope)})
		default:
			out = append(out, Warning{at, SummaryMatchesNothing, fmt.Sprintf(
				"%s (%q): no %s has that name (or id) among %s, so this pattern selects nothing. Check the spelling, "+
					"and that filters.workspaces selects the workspace it is in.", at, p, k.one, scope)})
		}
	}
	for j, e := range f.Exclude {
		for i, p := range f.Include {
			if !isExact(p) {
				continue
			}
			var removed []candidate
			for _, c := range matching(p) {
				if powerbi.MatchPattern(e, c.Name, c.ID) {
					removed = append(removed, c)
				}
			}
			if len(removed) == 0 {
				continue
			}
			at := FilterPath(k.attr, "exclude").AtListIndex(j)
			out = append(out, Warning{at, SummaryExcludeOverrides, fmt.Sprintf(
				"%s (%q) removes the %s %s, which %s names exactly (%q). Exclude always wins, so it will not be "+
					"imported. Remove one of the two patterns.", at, e, k.one, sample(removed), FilterPath(k.attr, "include").AtListIndex(i), p)})
		}
	}
	return out
}

// isExact reports whether a pattern has no wildcard, so it names one item
// (or is a GUID); see powerbi.Filter.ExactIncludes.
func isExact(p string) bool { return !strings.Contains(p, "*") }

// sample lists the first few candidates for a message.
func sample(items []candidate) string {
	const shown = 8
	var parts []string
	for i, c := range items {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(items)-shown))
			break
		}
		parts = append(parts, c.String())
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// WhyLeftOut explains why a filter does not select an item: the first
// exclude pattern that matches it, or that no include pattern does. It
// returns the attribute to point at and the reason, and ok=false when the
// filter selects the item after all.
func WhyLeftOut(kindAttr string, f powerbi.Filter, name, id string) (at path.Path, reason string, ok bool) {
	if f.Matches(name, id) {
		return path.Empty(), "", false
	}
	for j, e := range f.Exclude {
		if powerbi.MatchPattern(e, name, id) {
			return FilterPath(kindAttr, "exclude").AtListIndex(j),
				fmt.Sprintf("filters.%s.exclude[%d] (%q) matches it", kindAttr, j, e), true
		}
	}
	return FilterPath(kindAttr, "include"), fmt.Sprintf("no pattern in filters.%s.include matches it", kindAttr), true
}
