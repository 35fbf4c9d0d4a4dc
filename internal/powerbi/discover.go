package powerbi

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/parallel"
)

// DefaultDiscoverConcurrency is how many workspaces Discover reads at once.
const DefaultDiscoverConcurrency = 4

// DiscoverOptions tunes Discover.
type DiscoverOptions struct {
	// Concurrency bounds parallel per-workspace listing; 0 means
	// DefaultDiscoverConcurrency.
	Concurrency int
	// WithSchema also runs the admin scanner to fill in the tables and
	// columns of the selected semantic models.
	WithSchema bool
}

// Selection is what a set of Filters selects in the Power BI tenant, as seen
// by one service principal. Every list is sorted by name, then id.
type Selection struct {
	Workspaces []SelectedWorkspace
	// UnselectedWorkspaces names the workspaces the service principal can
	// see but the workspace filter leaves out (for previews).
	UnselectedWorkspaces []string
	// UnselectedGroups are the same workspaces with their ids, in the same
	// order, so a preview can also match GUID patterns against them.
	UnselectedGroups []Group
	// Warnings describe things skipped without failing, e.g. a workspace
	// that disappeared during discovery.
	Warnings []string
	// SchemaError is set when WithSchema was asked for but the scanner
	// failed (most often: admin APIs not enabled for service principals).
	// Workspaces, models and reports are still complete; Tables are empty.
	SchemaError error `json:"-"`
}

// SelectedWorkspace is a selected workspace with its selected items.
type SelectedWorkspace struct {
	Group
	SemanticModels []SelectedModel
	Reports        []Report
}

// SelectedModel is a selected semantic model; Tables is filled only with
// DiscoverOptions.WithSchema.
type SelectedModel struct {
	Dataset
	Tables []ScannedTable
}

// SemanticModelCount is the number of selected semantic models over all
// workspaces, for summaries.
func (s *Selection) SemanticModelCount() int {
	n := 0
	for _, w := range s.Workspaces {
		n += len(w.SemanticModels)
	}
	return n
}

// ReportCount is the number of selected reports over all workspaces.
func (s *Selection) ReportCount() int {
	n := 0
	for _, w := range s.Workspaces {
		n += len(w.Reports)
	}
	return n
}

// Discover lists the workspaces once, keeps those f.Workspaces selects, then
// lists each kept workspace's semantic models and reports (a few workspaces
// at a time) and applies f.SemanticModels and f.Reports. A workspace that
// answers 404 while being read (the principal lost access mid-run) is
// skipped with a warning; any other error ends discovery.
func Discover(ctx context.Context, c *Client, f Filters, opts DiscoverOptions) (*Selection, error) {
	groups, err := c.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	sel := &Selection{}
	var picked []Group
	for _, g := range groups {
		if f.Workspaces.Matches(g.Name, g.ID) {
			picked = append(picked, g)
		} else {
			sel.UnselectedGroups = append(sel.UnselectedGroups, g)
		}
	}
	byName := func(a, b Group) int { return byNameThenID(a.Name, a.ID, b.Name, b.ID) }
	slices.SortFunc(picked, byName)
	slices.SortFunc(sel.UnselectedGroups, byName)
	for _, g := range sel.UnselectedGroups {
		sel.UnselectedWorkspaces = append(sel.UnselectedWorkspaces, g.Name)
	}

	results, err := readWorkspaces(ctx, c, f, picked, opts.Concurrency)
	if err != nil {
		return nil, err
	}
	for _, r := range results {
		if r.warning != "" {
			sel.Warnings = append(sel.Warnings, r.warning)
			continue
		}
		sel.Workspaces = append(sel.Workspaces, r.ws)
	}

	if opts.WithSchema {
		if err := attachSchema(ctx, c, sel); err != nil {
			return nil, err
		}
	}
	return sel, nil
}

type workspaceResult struct {
	ws      SelectedWorkspace
	warning string // set when the workspace was skipped
}

// readWorkspaces lists models and reports of each group with at most
// `concurrency` workspaces in flight; results keep the order of groups.
func readWorkspaces(ctx context.Context, c *Client, f Filters, groups []Group, concurrency int) ([]workspaceResult, error) {
	if concurrency <= 0 {
		concurrency = DefaultDiscoverConcurrency
	}
	results := make([]workspaceResult, len(groups))
	err := parallel.ForEach(ctx, len(groups), concurrency, func(ctx context.Context, i int) error {
		res, err := readWorkspace(ctx, c, f, groups[i])
		results[i] = res
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func readWorkspace(ctx context.Context, c *Client, f Filters, g Group) (workspaceResult, error) {
	if err := ctx.Err(); err != nil {
		return workspaceResult{}, err
	}
	datasets, err := c.ListDatasets(ctx, g.ID)
	if err == nil {
		var reports []Report
		reports, err = c.ListReports(ctx, g.ID)
		if err == nil {
			return workspaceResult{ws: selectItems(g, datasets, reports, f)}, nil
		}
	}
	if IsNotFound(err) {
		return workspaceResult{warning: fmt.Sprintf(
			"workspace %q (%s) was skipped: Power BI answered 404 while listing its contents, so the service principal probably lost access to it during discovery",
			g.Name, g.ID)}, nil
	}
	return workspaceResult{}, fmt.Errorf("workspace %q: %w", g.Name, err)
}

func selectItems(g Group, datasets []Dataset, reports []Report, f Filters) SelectedWorkspace {
	ws := SelectedWorkspace{Group: g}
	for _, d := range datasets {
		if f.SemanticModels.Matches(d.Name, d.ID) {
			ws.SemanticModels = append(ws.SemanticModels, SelectedModel{Dataset: d})
		}
	}
	for _, r := range reports {
		if f.Reports.Matches(r.Name, r.ID) {
			ws.Reports = append(ws.Reports, r)
		}
	}
	slices.SortFunc(ws.SemanticModels, func(a, b SelectedModel) int { return byNameThenID(a.Name, a.ID, b.Name, b.ID) })
	slices.SortFunc(ws.Reports, func(a, b Report) int { return byNameThenID(a.Name, a.ID, b.Name, b.ID) })
	return ws
}

// attachSchema scans the workspaces that have selected models and copies
// the tables onto them. A scanner failure is recorded, not fatal: models
// and reports are still worth importing without columns.
func attachSchema(ctx context.Context, c *Client, sel *Selection) error {
	var ids []string
	for _, w := range sel.Workspaces {
		if len(w.SemanticModels) > 0 {
			ids = append(ids, w.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	scan, err := c.ScanWorkspaces(ctx, ids)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		sel.SchemaError = err
		sel.Warnings = append(sel.Warnings, "tables and columns were not read: "+err.Error())
		return nil
	}
	for wi := range sel.Workspaces {
		w := &sel.Workspaces[wi]
		for mi := range w.SemanticModels {
			m := &w.SemanticModels[mi]
			ds, ok := scan.Dataset(m.ID)
			if !ok {
				continue
			}
			m.Tables = ds.Tables
			if ds.SchemaRetrievalError != "" {
				sel.Warnings = append(sel.Warnings, fmt.Sprintf("semantic model %q in workspace %q: Power BI could not read its schema: %s",
					m.Name, w.Name, ds.SchemaRetrievalError))
			}
		}
	}
	return nil
}

// byNameThenID orders case-insensitively by name, then exactly by name,
// then by id, so the order is total and stable across runs.
func byNameThenID(aName, aID, bName, bID string) int {
	return cmp.Or(
		cmp.Compare(strings.ToLower(aName), strings.ToLower(bName)),
		cmp.Compare(aName, bName),
		cmp.Compare(strings.ToLower(aID), strings.ToLower(bID)),
	)
}
