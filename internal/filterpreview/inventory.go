package filterpreview

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// A preview must never hold up a plan for long: it gets Timeout in all, and
// each Power BI call is retried at most MaxRetries times (honouring
// Retry-After only while it fits in the time left).
const (
	Timeout    = 30 * time.Second
	MaxRetries = 1
)

// Item is a Power BI workspace, semantic model or report.
type Item struct {
	ID   string
	Name string
}

// Workspace is a workspace the workspace filter selects, with ALL its
// semantic models and reports (before the model and report filters), so
// that warnings can tell "matches nothing" from "excluded".
type Workspace struct {
	Item
	SemanticModels []Item
	Reports        []Item
}

// Inventory is what the service principal can see, as far as a preview
// needs it. Lists are sorted by name, then id.
type Inventory struct {
	// Selected are the workspaces the workspace filter selects.
	Selected []Workspace
	// Unselected are the other workspaces the principal can see.
	Unselected []Item
	// Notes are Discover's warnings, e.g. a workspace skipped because the
	// principal lost access to it while it was being read.
	Notes []string
}

// Read lists the workspaces once, keeps those the workspace filter selects
// and lists their semantic models and reports: 1 token request, 1 call for
// the workspaces (per 5000), 2 calls per selected workspace. The model and
// report filters are applied afterwards, by Select and Warnings.
func Read(ctx context.Context, s providerdata.PowerBISettings, creds powerbi.Credentials, workspaces powerbi.Filter) (*Inventory, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	s.MaxRetries = MaxRetries
	client, err := s.NewClient(creds)
	if err != nil {
		return nil, err
	}
	sel, err := powerbi.Discover(ctx, client, powerbi.Filters{Workspaces: workspaces}, powerbi.DiscoverOptions{})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("Power BI did not answer within %s: %w", Timeout, err)
		}
		return nil, err
	}
	inv := &Inventory{Notes: sel.Warnings}
	for _, w := range sel.Workspaces {
		ws := Workspace{Item: Item{ID: w.ID, Name: w.Name}}
		for _, m := range w.SemanticModels {
			ws.SemanticModels = append(ws.SemanticModels, Item{ID: m.ID, Name: m.Name})
		}
		for _, r := range w.Reports {
			ws.Reports = append(ws.Reports, Item{ID: r.ID, Name: r.Name})
		}
		inv.Selected = append(inv.Selected, ws)
	}
	for _, g := range sel.UnselectedGroups {
		inv.Unselected = append(inv.Unselected, Item{ID: g.ID, Name: g.Name})
	}
	return inv, nil
}

// visible lists every workspace the principal can see.
func (inv *Inventory) visible() []Item {
	out := make([]Item, 0, len(inv.Selected)+len(inv.Unselected))
	for _, w := range inv.Selected {
		out = append(out, w.Item)
	}
	return append(out, inv.Unselected...)
}
