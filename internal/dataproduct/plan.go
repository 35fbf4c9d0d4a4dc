package dataproduct

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// ModifyPlan checks at plan time what the API would reject (the asset, the
// owner team, the upstream ports, the data product type), computes the output
// port from the semantic model's current assets, so that a model change shows
// as an update, and plans the upstream links, automatic ones included.
func (r *dataProductResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or the provider is not configured yet
	}
	var plan, config resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	proposed := plan
	var state *resourceModel
	if !req.State.Raw.IsNull() {
		state = &resourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if state != nil && (!plan.ID.Equal(state.ID) || !plan.Type.Equal(state.Type)) {
		state = nil // replaced: planned like a new one
	}
	diags := &resp.Diagnostics
	typ, typeKnown := plan.Type.ValueString(), !plan.Type.IsUnknown()
	asset, assetKnown := plan.AssetID.ValueString(), !plan.AssetID.IsUnknown() && !plan.AssetID.IsNull()

	var model *catalog.SemanticModel
	var report *catalog.Report
	if typeKnown && assetKnown {
		var err error
		switch typ {
		case TypeSemanticModel:
			model, err = r.catalog.SemanticModel(ctx, asset)
		case TypeReport:
			report, err = r.catalog.Report(ctx, asset)
		}
		if err != nil {
			addAssetError(diags, typ, asset, err)
		}
	}

	// The output port as the current assets describe it.
	switch {
	case !typeKnown:
	case typ == TypeReport:
		plan.OutputPort = portValue(nil)
	case model != nil:
		p := portOf(model)
		plan.OutputPort = portValue(&p)
		if state != nil && state.OutputPort.Equal(plan.OutputPort) {
			plan.OutputPort = state.OutputPort
		}
	default:
		plan.OutputPort = types.ObjectUnknown(outputPortAttrTypes)
	}

	var prior []upstreamEntry
	if state != nil {
		prior = upstreamEntries(ctx, state.Upstream, diags)
	}
	plan.Upstream = r.planUpstream(ctx, &plan, &config, state, prior, report, diags)

	if team := plan.OwnerTeam; !team.IsUnknown() && (state == nil || !team.Equal(state.OwnerTeam)) {
		r.data.CheckTeam(ctx, team.ValueString(), path.Root("owner_team"), diags)
	}
	if diags.HasError() {
		return
	}
	// Only output_port and upstream may have changed; writing the plan back
	// costs a conversion of the whole data product, so only when they did.
	if !plan.equal(&proposed) {
		diags.Append(resp.Plan.Set(ctx, &plan)...)
	}

	// The type only matters when the product is written.
	if typeKnown && (state == nil || !resp.Plan.Raw.Equal(req.State.Raw)) {
		checkType(ctx, r.data, typ, diags)
	}
}

// planUpstream plans the upstream attribute: the configured links, or the
// automatic ones when it is left out. Links the state has keep their
// agreement id and status; new ones get theirs at apply.
func (r *dataProductResource) planUpstream(ctx context.Context, plan, config, state *resourceModel, prior []upstreamEntry, report *catalog.Report, diags *diag.Diagnostics) types.List {
	unknown := types.ListUnknown(types.ObjectType{AttrTypes: upstreamAttrTypes})
	typ := plan.Type.ValueString()
	byKey := map[upstreamKey]upstreamEntry{}
	for _, p := range prior {
		byKey[p.upstreamKey] = p
	}
	element := func(dpID, portID types.String) attr.Value {
		accessID, status := types.StringUnknown(), types.StringUnknown()
		if !dpID.IsUnknown() && !portID.IsUnknown() {
			if p, ok := byKey[upstreamKey{dpID.ValueString(), portID.ValueString()}]; ok {
				accessID, status = providerdata.StringOrNull(p.AccessID), providerdata.StringOrNull(p.Status)
				if p.Status == entropydata.AccessRejected {
					diags.AddAttributeWarning(path.Root("upstream"), "Access agreement rejected",
						fmt.Sprintf("The provider of output port %q of data product %q rejected the access agreement %q. "+
							"Remove the link from upstream, or ask the provider's team to reconsider (the link is "+
							"requested again after the agreement is deleted).", p.OutputPortID, p.DataProductID, p.AccessID))
				}
			}
		}
		return types.ObjectValueMust(upstreamAttrTypes, map[string]attr.Value{
			"data_product_id": dpID, "output_port_id": portID, "access_id": accessID, "status": status,
		})
	}

	switch {
	case config.Upstream.IsUnknown():
		return unknown
	case !config.Upstream.IsNull():
		elems := []attr.Value{}
		checker := upstreamChecker{client: r.data.Client, self: plan.ID.ValueString(), products: map[string]*entropydata.DataProduct{}}
		for i, m := range upstreamModels(ctx, config.Upstream, diags) {
			elems = append(elems, element(m.DataProductID, m.OutputPortID))
			if m.DataProductID.IsUnknown() || m.OutputPortID.IsUnknown() {
				continue
			}
			if _, ok := byKey[upstreamKey{m.DataProductID.ValueString(), m.OutputPortID.ValueString()}]; !ok {
				checker.check(ctx, i, upstreamKey{m.DataProductID.ValueString(), m.OutputPortID.ValueString()}, diags)
			}
		}
		return types.ListValueMust(types.ObjectType{AttrTypes: upstreamAttrTypes}, elems)
	case plan.Type.IsUnknown():
		return unknown
	case typ == TypeSemanticModel:
		return upstreamValue(nil)
	case report == nil:
		return unknown // the asset is not known yet (or is wrong, which is reported)
	}

	keys, err := r.lineage().autoLinks(ctx, plan.ID.ValueString(), report.SemanticModelAssetID)
	if err != nil {
		providerdata.AddAttributeAPIError(diags, path.Root("upstream"), "Could not look up the data products of the report's semantic model", err)
		return unknown
	}
	if len(keys) == 0 && state == nil && report.SemanticModelAssetID != "" {
		// The model's data product may be created in the same apply (make this
		// one depend on it): look again then.
		return unknown
	}
	elems := []attr.Value{}
	for _, k := range keys {
		elems = append(elems, element(types.StringValue(k.DataProductID), types.StringValue(k.OutputPortID)))
	}
	return types.ListValueMust(types.ObjectType{AttrTypes: upstreamAttrTypes}, elems)
}

// upstreamChecker checks configured upstream links, reading each upstream
// data product once.
type upstreamChecker struct {
	client   *entropydata.Client
	self     string
	products map[string]*entropydata.DataProduct // nil value: not found
}

func (c upstreamChecker) check(ctx context.Context, i int, k upstreamKey, diags *diag.Diagnostics) {
	at := path.Root("upstream").AtListIndex(i)
	if k.DataProductID == c.self {
		diags.AddAttributeError(at.AtName("data_product_id"), "Data product cannot consume itself",
			fmt.Sprintf("upstream[%d] names this data product (%q); list the data products it consumes.", i, c.self))
		return
	}
	dp, seen := c.products[k.DataProductID]
	if !seen {
		var err error
		dp, err = c.client.GetDataProduct(ctx, k.DataProductID)
		if err != nil && !entropydata.IsNotFound(err) {
			providerdata.AddAttributeAPIError(diags, at.AtName("data_product_id"), "Could not check the upstream data product", err)
			return
		}
		c.products[k.DataProductID] = dp
	}
	if dp == nil {
		// It may be created in this same apply; the API has the last word.
		diags.AddAttributeWarning(at.AtName("data_product_id"), "Upstream data product not found",
			fmt.Sprintf("Entropy Data has no data product %q yet. That is fine when it is created in the same apply "+
				"(make this data product depend on it, e.g. by referencing its id); otherwise the apply fails when "+
				"the access agreement is requested.", k.DataProductID))
		return
	}
	var ids []string
	for _, p := range dp.OutputPorts {
		if p.ID == k.OutputPortID {
			return
		}
		ids = append(ids, p.ID)
	}
	sort.Strings(ids)
	has := "has no output ports"
	if len(ids) > 0 {
		has = "has the output ports " + quoteAll(ids)
	}
	diags.AddAttributeError(at.AtName("output_port_id"), "Unknown upstream output port",
		fmt.Sprintf("The data product %q has no output port %q; it %s.", k.DataProductID, k.OutputPortID, has))
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// checkType fails when the organization does not offer, or has disabled,
// the data product type.
func checkType(ctx context.Context, data *providerdata.ProviderData, typ string, diags *diag.Diagnostics) {
	id := typeIDs[typ]
	all, err := data.DataProductTypes(ctx)
	if err != nil {
		providerdata.AddAttributeAPIError(diags, path.Root("type"), "Could not read the organization's data product types", err)
		return
	}
	where := "Enable it in Entropy Data under Settings > Data product types (the organization setting " +
		"dataproduct-types, GET /api/settings/dataproduct-types), or ask an organization owner to."
	for _, t := range all {
		if t.ID != id {
			continue
		}
		if !t.Enabled {
			diags.AddAttributeError(path.Root("type"), "Data product type disabled",
				fmt.Sprintf("The organization has disabled the data product type %q (%s), which type = %q stands for. %s",
					id, label(t), typ, where))
		}
		return
	}
	diags.AddAttributeError(path.Root("type"), "Data product type not offered",
		fmt.Sprintf("The organization's data product types do not include %q, which type = %q stands for. %s",
			id, typ, strings.Replace(where, "Enable it", "Add and enable it", 1)))
}

func label(t entropydata.DataProductType) string {
	if l := t.Labels["en"]; l != "" {
		return l
	}
	return t.ID
}

// addAssetError explains why asset_id cannot be used for a data product of type typ.
func addAssetError(diags *diag.Diagnostics, typ, assetID string, err error) {
	at := path.Root("asset_id")
	want, source, fits := "semantic model", "entropydata_powerbi_semantic_models", ""
	if typ == TypeReport {
		want, source = "report", "entropydata_powerbi_reports"
	}
	var wrong *catalog.WrongKindError
	switch {
	case errors.Is(err, catalog.ErrAssetNotFound):
		diags.AddAttributeError(at, "Power BI asset not found",
			fmt.Sprintf("Entropy Data has no asset with id %q. Set asset_id to the id of an imported Power BI %s (see the "+
				"%s data source); a new %s appears after the next ingestion run of the integration that imports its workspace.",
				assetID, want, source, want))
	case errors.As(err, &wrong):
		switch wrong.Got {
		case entropydata.AssetTypePowerBISemanticModel:
			fits = fmt.Sprintf(" For this asset use type = %q.", TypeSemanticModel)
		case entropydata.AssetTypePowerBIReport:
			fits = fmt.Sprintf(" For this asset use type = %q.", TypeReport)
		}
		msg := wrong.Error()
		diags.AddAttributeError(at, "Wrong kind of Power BI asset",
			fmt.Sprintf("%s%s. A data product of type %q is built on a Power BI %s (see the %s data source).%s",
				strings.ToUpper(msg[:1]), msg[1:], typ, want, source, fits))
	default:
		providerdata.AddAttributeAPIError(diags, at, "Could not read the Power BI asset "+assetID, err)
	}
}
