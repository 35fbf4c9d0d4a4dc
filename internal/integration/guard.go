package integration

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// guardTimeout bounds the look-up of governed assets during a plan or a
// destroy; guardConcurrency bounds its parallel reads.
const (
	guardTimeout     = 2 * time.Minute
	guardConcurrency = 8
	maxNamed         = 20 // data products an error lists by name
)

// Summaries of the guard's diagnostics.
const (
	summaryDropsGoverned      = "Filter change would drop a governed Power BI asset"
	summaryDropsGovernedAllow = "Filter change drops a governed Power BI asset"
	summaryGuardFailed        = "Could not check for governed Power BI assets"
	summaryDestroyGoverned    = "Destroy would delete governed Power BI assets"
	summaryReplaceGoverned    = "Replacement would delete governed Power BI assets"
)

// governedAsset is a semantic model or report that this integration
// imported and that a data product references.
type governedAsset struct {
	dataProduct   string
	assetID       string
	kindAttr      string // filterpreview.AttrSemanticModels or AttrReports
	what          string // "semantic model" or "report"
	name, id      string // the Power BI name and GUID
	workspaceName string
	workspaceID   string
}

// governedDrop is a governed asset the new filters no longer select.
type governedDrop struct {
	governedAsset
	at     path.Path // the filter entry that drops it
	reason string
}

// guardGovernedAssets fails an update plan whose filter change would stop
// importing an asset that backs a data product (the next run would delete
// the asset), unless allow_dropping_governed_assets is set; then it warns.
// It needs no Power BI call: the assets carry their names and workspaces.
// When it cannot find out, the plan fails too: a safety check fails closed.
func (r *integrationResource) guardGovernedAssets(ctx context.Context, plan, state *resourceModel, diags *diag.Diagnostics) {
	if r.data == nil || !filterpreview.FiltersKnown(plan.Filters) || plan.Filters.Equal(state.Filters) {
		return
	}
	allow := plan.AllowDroppingGoverned
	used, err := usedAssets(ctx, r.data.Client, state.ExternalID.ValueString())
	if err != nil {
		detail := "The plan could not find out whether the filter change stops importing assets that back data " +
			"products (the next ingestion run would delete them from the catalog): " + err.Error()
		switch {
		case allow.ValueBool():
			diags.AddAttributeWarning(path.Root("filters"), summaryGuardFailed, detail+"\n\nAllowed by allow_dropping_governed_assets.")
		case allow.IsUnknown():
			diags.AddAttributeWarning(path.Root("filters"), summaryGuardFailed, detail+"\n\nIt is checked again when applying.")
		default:
			diags.AddAttributeError(path.Root("filters"), summaryGuardFailed, detail+"\n\nPlan again once Entropy Data "+
				"answers, or set allow_dropping_governed_assets = true to change the filters without this check.")
		}
		return
	}
	f := filterpreview.FiltersFrom(ctx, plan.Filters, diags)
	for _, d := range droppedGovernedAssets(governedAssets(used), f) {
		detail := fmt.Sprintf("The data product %q is built on the Power BI %s %q in workspace %q (asset %s), which this "+
			"integration imported. With the new filters %s, so the next ingestion run removes the asset from the catalog "+
			"and the data product loses it.", d.dataProduct, d.what, d.name, d.workspaceName, d.assetID, d.reason)
		switch {
		case allow.ValueBool():
			diags.AddAttributeWarning(d.at, summaryDropsGovernedAllow, detail+" Allowed by allow_dropping_governed_assets.")
		case allow.IsUnknown():
			diags.AddAttributeWarning(d.at, summaryDropsGoverned, detail+" It is checked again when applying.")
		default:
			diags.AddAttributeError(d.at, summaryDropsGoverned, detail+" Keep it selected, or set "+
				"allow_dropping_governed_assets = true to accept this.")
		}
	}
}

// guardDestroy refuses to delete an integration together with its assets
// (delete_assets_on_destroy) while any of them backs a data product, unless
// allow_dropping_governed_assets is set. The provider checks this itself
// rather than rely on the server to refuse, which is not documented. It runs
// when deleting, after the data products destroyed in the same apply are gone.
func (r *integrationResource) guardDestroy(ctx context.Context, state *resourceModel, diags *diag.Diagnostics) {
	if !state.DeleteAssetsOnDestroy.ValueBool() || state.AllowDroppingGoverned.ValueBool() {
		return
	}
	id := state.ExternalID.ValueString()
	used, err := usedAssets(ctx, r.data.Client, id)
	if err != nil {
		diags.AddError(summaryGuardFailed, fmt.Sprintf("The integration %q was not deleted: with delete_assets_on_destroy = true "+
			"it would delete the assets it imported, and the provider could not find out whether data products use them: %s\n\n"+
			"Try again once Entropy Data answers. To keep the assets, set delete_assets_on_destroy = false and apply before "+
			"destroying; to delete them regardless, set allow_dropping_governed_assets = true and apply before destroying.", id, err))
		return
	}
	if len(used) == 0 {
		return
	}
	diags.AddError(summaryDestroyGoverned, fmt.Sprintf("The integration %q was not deleted. With delete_assets_on_destroy = true it "+
		"would delete the assets it imported, and data products are built on some of them:\n%s\n\n"+
		"Delete or move those data products first (resources destroyed in the same apply are deleted before the "+
		"integration when they depend on it), or keep the assets: set delete_assets_on_destroy = false and apply before "+
		"destroying. To delete them regardless, set allow_dropping_governed_assets = true and apply before destroying.",
		id, usedAssetList(used)))
}

// warnReplacement tells at plan time that replacing the integration will be
// refused when applying (see guardDestroy), unless the data products go first.
func (r *integrationResource) warnReplacement(ctx context.Context, state *resourceModel, diags *diag.Diagnostics) {
	if r.data == nil || !state.DeleteAssetsOnDestroy.ValueBool() || state.AllowDroppingGoverned.ValueBool() {
		return
	}
	used, err := usedAssets(ctx, r.data.Client, state.ExternalID.ValueString())
	if err != nil || len(used) == 0 {
		return // checked again, failing closed, when deleting
	}
	diags.AddAttributeWarning(path.Root("external_id"), summaryReplaceGoverned, fmt.Sprintf("Changing external_id replaces "+
		"the integration %q. With delete_assets_on_destroy = true that deletes the assets it imported, and data products "+
		"are built on some of them:\n%s\n\nApplying will refuse to delete the integration while they use the assets. Keep "+
		"the external_id, or set delete_assets_on_destroy = false and apply before changing it.",
		state.ExternalID.ValueString(), usedAssetList(used)))
}

// usedAssetList names the data products and the assets they use, one a line.
func usedAssetList(used []usedAsset) string {
	var lines []string
	for i, u := range used {
		if i == maxNamed {
			lines = append(lines, fmt.Sprintf("  - and %d more", len(used)-maxNamed))
			break
		}
		kind := strings.ReplaceAll(strings.TrimPrefix(u.asset.Info.Type, "powerbi_"), "_", " ")
		lines = append(lines, fmt.Sprintf("  - data product %q uses the %s %q (asset %s)", u.dataProduct, kind, u.asset.Info.Name, u.asset.ID))
	}
	return strings.Join(lines, "\n")
}

// droppedGovernedAssets checks each governed asset against the new filters
// with the matcher: its workspace first, then the asset itself.
func droppedGovernedAssets(assets []governedAsset, f powerbi.Filters) []governedDrop {
	var out []governedDrop
	for _, a := range assets {
		if at, why, dropped := filterpreview.WhyLeftOut(filterpreview.AttrWorkspaces, f.Workspaces, a.workspaceName, a.workspaceID); dropped {
			out = append(out, governedDrop{a, at, fmt.Sprintf("its workspace is no longer selected: %s", why)})
			continue
		}
		items := f.SemanticModels
		if a.kindAttr == filterpreview.AttrReports {
			items = f.Reports
		}
		if at, why, dropped := filterpreview.WhyLeftOut(a.kindAttr, items, a.name, a.id); dropped {
			out = append(out, governedDrop{a, at, fmt.Sprintf("it is no longer selected: %s", why)})
		}
	}
	return out
}

// usedAsset is an asset the integration imported that a data product uses.
type usedAsset struct {
	dataProduct string
	asset       *entropydata.Asset
}

// usedAssets finds the assets the integration imported that data products of
// the Power BI types reference. Its requests grow with those data products,
// never with the catalog: two lists (by type), a read of each data product
// whose list entry leaves out its assets, and one read per asset referenced;
// at most guardConcurrency at a time. Any error fails the look-up.
func usedAssets(ctx context.Context, client *entropydata.Client, integration string) ([]usedAsset, error) {
	ctx, cancel := context.WithTimeout(ctx, guardTimeout)
	defer cancel()
	reader := catalog.New(client, catalog.WithConcurrency(guardConcurrency))
	products, err := reader.DataProducts(ctx, catalog.ProductQuery{
		Archetypes: []string{entropydata.DataProductTypePowerBISemanticModel, entropydata.DataProductTypePowerBIReport},
		Complete:   func(dp *entropydata.DataProduct) bool { return len(catalog.AssetRefs(dp)) > 0 },
	})
	if err != nil {
		return nil, err
	}
	refs := make([][]string, len(products))
	var ids []string
	seen := map[string]bool{}
	for i, dp := range products {
		refs[i] = catalog.AssetRefs(dp)
		for _, id := range refs[i] {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	assets, err := reader.Assets(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*entropydata.Asset{}
	for i, a := range assets {
		if a != nil && customString(a, entropydata.CustomIntegration) == integration {
			byID[ids[i]] = a
		}
	}
	var out []usedAsset
	for i, rs := range refs {
		for _, id := range rs {
			if a := byID[id]; a != nil {
				out = append(out, usedAsset{dataProduct: products[i].ID, asset: a})
			}
		}
	}
	return out, nil
}

// governedAssets keeps the semantic models and reports among the used assets.
func governedAssets(used []usedAsset) []governedAsset {
	var out []governedAsset
	for _, u := range used {
		if g, ok := governedBy(u.asset, u.dataProduct); ok {
			out = append(out, g)
		}
	}
	return out
}

// governedBy describes the asset when it is a semantic model or report.
func governedBy(a *entropydata.Asset, dataProduct string) (governedAsset, bool) {
	if a == nil {
		return governedAsset{}, false
	}
	g := governedAsset{
		dataProduct: dataProduct, assetID: a.ID, name: a.Info.Name, id: a.Info.SourceID,
		workspaceName: customString(a, entropydata.CustomWorkspaceName), workspaceID: customString(a, entropydata.CustomWorkspaceID),
	}
	if g.id == "" {
		g.id = strings.TrimPrefix(a.ID, entropydata.PowerBIAssetID(""))
	}
	switch a.Info.Type {
	case entropydata.AssetTypePowerBISemanticModel:
		g.kindAttr, g.what = filterpreview.AttrSemanticModels, "semantic model"
	case entropydata.AssetTypePowerBIReport:
		g.kindAttr, g.what = filterpreview.AttrReports, "report"
	default:
		return governedAsset{}, false
	}
	return g, true
}

func customString(a *entropydata.Asset, key string) string {
	s, _ := a.Custom[key].(string)
	return s
}
