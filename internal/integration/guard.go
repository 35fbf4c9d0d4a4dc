package integration

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// guardTimeout bounds the look-up of governed assets during a plan.
const guardTimeout = time.Minute

// Summaries of the guard's diagnostics.
const (
	summaryDropsGoverned      = "Filter change would drop a governed Power BI asset"
	summaryDropsGovernedAllow = "Filter change drops a governed Power BI asset"
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
func (r *integrationResource) guardGovernedAssets(ctx context.Context, plan, state *resourceModel, diags *diag.Diagnostics) {
	if r.data == nil || !filterpreview.FiltersKnown(plan.Filters) || plan.Filters.Equal(state.Filters) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, guardTimeout)
	defer cancel()
	assets, err := governedAssets(ctx, r.data.Client, state.ExternalID.ValueString())
	if err != nil {
		diags.AddAttributeWarning(path.Root("filters"), "Could not check for governed Power BI assets",
			"The plan could not check whether the filter change stops importing assets that back data products: "+err.Error())
		return
	}
	f := filterpreview.FiltersFrom(ctx, plan.Filters, diags)
	allow := plan.AllowDroppingGoverned
	for _, d := range droppedGovernedAssets(assets, f) {
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

// governedAssets lists the Power BI data products (by their types), reads
// each for the assets it references, and keeps the semantic models and
// reports that the integration imported.
func governedAssets(ctx context.Context, client *entropydata.Client, integration string) ([]governedAsset, error) {
	assets := map[string]*entropydata.Asset{} // each asset is read once
	getAsset := func(id string) (*entropydata.Asset, error) {
		if a, ok := assets[id]; ok {
			return a, nil
		}
		a, err := client.GetAsset(ctx, id)
		if entropydata.IsNotFound(err) {
			a, err = nil, nil
		}
		if err == nil {
			assets[id] = a
		}
		return a, err
	}
	var out []governedAsset
	for _, typ := range []string{entropydata.DataProductTypePowerBISemanticModel, entropydata.DataProductTypePowerBIReport} {
		products, err := client.ListDataProducts(ctx, entropydata.ListDataProductsOptions{Archetype: typ})
		if err != nil {
			return nil, err
		}
		for _, p := range products {
			dp, err := client.GetDataProduct(ctx, p.ID)
			if entropydata.IsNotFound(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			for _, ref := range assetRefs(dp) {
				a, err := getAsset(ref)
				if err != nil {
					return nil, err
				}
				if g, ok := governedBy(a, p.ID, integration); ok {
					out = append(out, g)
				}
			}
		}
	}
	return out, nil
}

// assetRefs are the asset ids a data product references, at the top level
// and in its output ports.
func assetRefs(dp *entropydata.DataProduct) []string {
	var ids []string
	for _, a := range dp.Assets {
		ids = append(ids, a.AssetID)
	}
	for _, port := range dp.OutputPorts {
		for _, a := range port.Assets {
			ids = append(ids, a.AssetID)
		}
	}
	return ids
}

// governedBy describes the asset when it is a semantic model or report the
// integration imported.
func governedBy(a *entropydata.Asset, dataProduct, integration string) (governedAsset, bool) {
	if a == nil || customString(a, entropydata.CustomIntegration) != integration {
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
