// Package dataproduct implements the entropydata_powerbi_data_product
// resource: a governed data product (DPS 0.0.1) built on an imported Power BI
// semantic model or report, with the semantic model's output port, lineage to
// upstream output ports as access agreements, and read-only quality.
package dataproduct

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

var (
	_ resource.ResourceWithConfigure   = (*dataProductResource)(nil)
	_ resource.ResourceWithImportState = (*dataProductResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*dataProductResource)(nil)
)

// NewResource returns the entropydata_powerbi_data_product resource.
func NewResource() resource.Resource { return &dataProductResource{} }

type dataProductResource struct {
	data    *providerdata.ProviderData
	catalog *catalog.Reader
}

func (r *dataProductResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_powerbi_data_product"
}

func (r *dataProductResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}

func (r *dataProductResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
	if r.data != nil {
		r.catalog = catalog.New(r.data.Client, catalog.WithPrefetched(r.data.TakeAsset))
	}
}

func (r *dataProductResource) lineage() lineage {
	return lineage{client: r.data.Client, now: time.Now}
}

func (r *dataProductResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := providerdata.WithTimeout(ctx, plan.Timeouts.Create, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	id := plan.ID.ValueString()
	p := r.resolvePort(ctx, &plan, &resp.Diagnostics)
	keys := r.resolveUpstream(ctx, &plan, &config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	// PUT would silently take over a product someone else made.
	switch _, err := r.data.Client.GetDataProduct(ctx, id); {
	case err == nil:
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Data product already exists",
			fmt.Sprintf("Entropy Data already has a data product with id %q. Import it to manage it with Terraform "+
				"(terraform import, or an import block), or choose another id.", id))
		return
	case !entropydata.IsNotFound(err):
		providerdata.AddAPIError(&resp.Diagnostics, "Could not check whether the data product exists", err)
		return
	}

	r.save(ctx, &plan, nil, p, keys, nil, types.ObjectNull(qualityAttrTypes), nil, &resp.State, &resp.Diagnostics)
	identity.Set(ctx, resp.Identity, plan.ID, &resp.Diagnostics)
}

func (r *dataProductResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	identity.Set(ctx, resp.Identity, state.ID, &resp.Diagnostics)
	id := state.ID.ValueString()
	f := r.fetch(ctx, id, state.AssetID.ValueString())
	dp, err := f.dp, f.dpErr
	if entropydata.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Data product no longer exists",
			fmt.Sprintf("The data product %q was not found in Entropy Data (deleted outside Terraform?). It is removed "+
				"from the state; the next apply creates it again.", id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		providerdata.AddAPIError(&resp.Diagnostics, "Could not read the data product", err)
		return
	}
	t := typeOfArchetype(dp.Info.Archetype)
	if t == "" {
		resp.Diagnostics.AddError("Not a Power BI data product",
			fmt.Sprintf("The data product %q has the type %q (info.archetype), not %q or %q, so this resource cannot "+
				"manage it.", id, dp.Info.Archetype, entropydata.DataProductTypePowerBISemanticModel, entropydata.DataProductTypePowerBIReport))
		return
	}
	if parts := dp.Unrecognized(); len(parts) > 0 {
		var fields []string
		for _, u := range parts {
			fields = append(fields, u.Field)
		}
		resp.Diagnostics.AddWarning("Custom fields not shown",
			fmt.Sprintf("The data product %q has custom fields whose value is not text, which the custom attribute cannot "+
				"show: %s. Applying keeps them unchanged.", id, strings.Join(fields, ", ")))
	}
	prior := state
	imported, d := req.Private.GetKey(ctx, privateImported)
	resp.Diagnostics.Append(d...)
	state.fromAPI(dp, imported != nil)
	if imported != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
	}

	state.OutputPort = portValue(nil)
	if t == TypeSemanticModel {
		asset := state.AssetID.ValueString()
		base := portFrom(prior.OutputPort)
		if base == nil && asset != "" {
			// After an import: the port as the current assets describe it.
			if m, err := r.catalog.SemanticModel(ctx, asset); err == nil {
				p := portOf(m)
				base = &p
			}
		}
		state.OutputPort = portValue(storedPort(dp, asset, base))
	}

	// A semantic model known to have no upstream has no agreements to look
	// for: skipping the list keeps a refresh at two requests. After an
	// import (null upstream) and for reports (automatic links) it is read.
	noUpstream := t == TypeSemanticModel && !prior.Upstream.IsNull() && !prior.Upstream.IsUnknown() && len(prior.Upstream.Elements()) == 0
	if !noUpstream {
		entries, err := r.lineage().read(ctx, id, upstreamEntries(ctx, prior.Upstream, &resp.Diagnostics))
		if err != nil {
			providerdata.AddAPIError(&resp.Diagnostics, "Could not read the data product's access agreements", err)
			return
		}
		state.Upstream = upstreamValue(entries)
	}
	state.Quality = qualityOf(ctx, r.data.Client, dp, f.score, f.scoreErr, prior.Quality, &resp.Diagnostics)
	// The response starts as the prior state; converting the whole model back
	// is only worth it when something changed (most refreshes change nothing).
	if !state.equal(&prior) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

// fetched is what a refresh reads, all at once.
type fetched struct {
	dp       *entropydata.DataProduct
	dpErr    error
	score    *entropydata.DataProductScore
	scoreErr error
}

// fetch reads the data product, its quality score and its asset at the same
// time: a refresh then waits for one round trip, not three. The asset is
// what the plan that follows compares the output port with; it is kept for
// that plan's ModifyPlan (see providerdata.KeepAsset), so a no-change plan
// makes no request beyond the refresh's.
func (r *dataProductResource) fetch(ctx context.Context, id, assetID string) fetched {
	var f fetched
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		f.dp, f.dpErr = r.data.Client.GetDataProduct(ctx, id)
	}()
	go func() {
		defer wg.Done()
		f.score, f.scoreErr = r.data.Client.GetDataProductScore(ctx, id)
	}()
	if assetID != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A failure is ModifyPlan's to report, when it fetches again.
			if a, err := r.data.Client.GetAsset(ctx, assetID); err == nil {
				r.data.KeepAsset(a)
			}
		}()
	}
	wg.Wait()
	return f
}

func (r *dataProductResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, state resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := providerdata.WithTimeout(ctx, plan.Timeouts.Update, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	id := plan.ID.ValueString()
	p := r.resolvePort(ctx, &plan, &resp.Diagnostics)
	keys := r.resolveUpstream(ctx, &plan, &config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	existing, err := r.data.Client.GetDataProduct(ctx, id)
	if err != nil && !entropydata.IsNotFound(err) {
		providerdata.AddAPIError(&resp.Diagnostics, "Could not read the data product before updating it", err)
		return
	}
	r.save(ctx, &plan, &state, p, keys, existing, state.Quality, upstreamEntries(ctx, state.Upstream, &resp.Diagnostics), &resp.State, &resp.Diagnostics)
	identity.Set(ctx, resp.Identity, plan.ID, &resp.Diagnostics)
}

// save writes the data product (keeping what the resource does not manage
// from existing), records it in state, and only then makes its access
// agreements match keys: a failing agreement leaves the product in the state
// (tainted on create) rather than orphaned.
func (r *dataProductResource) save(ctx context.Context, plan, priorState *resourceModel, p *port, keys []upstreamKey,
	existing *entropydata.DataProduct, priorQuality types.Object, prior []upstreamEntry, state *tfsdk.State, diags *diag.Diagnostics) {
	dp := plan.toDataProduct(ctx, p, existing, priorState, diags)
	if diags.HasError() {
		return
	}
	if err := r.data.Client.PutDataProduct(ctx, dp); err != nil {
		providerdata.AddAPIError(diags, "Could not save the data product", err)
		return
	}
	plan.OutputPort = portValue(p)
	if plan.Quality.IsUnknown() || plan.Quality.IsNull() {
		plan.Quality = readQuality(ctx, r.data.Client, &dp, priorQuality, diags)
	}
	plan.Upstream = upstreamValue(prior)
	diags.Append(state.Set(ctx, plan)...)
	if diags.HasError() {
		return
	}
	entries := r.lineage().apply(ctx, plan.ID.ValueString(), prior, keys, diags)
	diags.Append(state.SetAttribute(ctx, path.Root("upstream"), upstreamValue(entries))...)
}

func (r *dataProductResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := providerdata.WithTimeout(ctx, state.Timeouts.Delete, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	l := r.lineage()

	// Terraform shows no resource address with errors while destroying, so
	// every summary names the data product.
	//
	// The agreements to withdraw are those the state recorded; only when it
	// recorded none (null upstream, e.g. imported and not yet refreshed) are
	// they listed. The API refuses to delete a product whose output port an
	// active agreement uses: that is not checked before, as it is rare and
	// the refusal says so; the consumers are listed only to explain it.
	var withdrawn []upstreamEntry
	if state.Upstream.IsNull() || state.Upstream.IsUnknown() {
		if err := l.withdrawAll(ctx, id); err != nil {
			providerdata.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Could not cancel the access agreements of the data product %q", id), err)
			return
		}
	} else {
		prior := upstreamEntries(ctx, state.Upstream, &resp.Diagnostics)
		for i, e := range prior {
			if err := l.withdraw(ctx, e.AccessID); err != nil {
				providerdata.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Could not cancel the access agreement %q of the data product %q", e.AccessID, id), err)
				r.keepUpstream(ctx, prior[i:], &resp.State, &resp.Diagnostics)
				return
			}
			withdrawn = append(withdrawn, e)
		}
	}
	err := r.data.Client.DeleteDataProduct(ctx, id)
	switch {
	case err == nil, entropydata.IsNotFound(err):
	case errors.Is(err, entropydata.ErrValidation):
		detail := err.Error() + "\n\n" + destroyOrderHint
		if users, lerr := l.activeConsumers(ctx, id); lerr == nil && len(users) > 0 {
			detail = stillInUse(id, users)
		}
		if len(withdrawn) > 0 {
			detail += fmt.Sprintf("\n\nIts own %d upstream access agreement(s) were canceled before the delete was refused; "+
				"the next apply requests them again.", len(withdrawn))
			r.keepUpstream(ctx, nil, &resp.State, &resp.Diagnostics)
		}
		resp.Diagnostics.AddError("Data product is still in use", detail)
	default:
		providerdata.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Could not delete the data product %q", id), err)
	}
}

// keepUpstream records, after a failed destroy, the upstream links that
// still stand, so the state stays true to what exists.
func (r *dataProductResource) keepUpstream(ctx context.Context, entries []upstreamEntry, state *tfsdk.State, diags *diag.Diagnostics) {
	diags.Append(state.SetAttribute(ctx, path.Root("upstream"), upstreamValue(entries))...)
}

func (r *dataProductResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := identity.ImportID(ctx, req, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	identity.Set(ctx, resp.Identity, types.StringValue(id), &resp.Diagnostics)
	// The first Read then takes every custom key into the state. (A list
	// resource's preview of an import has no private state to mark.)
	if resp.Private != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte("true"))...)
	}
}

// privateImported marks a data product whose state comes from an import.
const privateImported = "imported"

const destroyOrderHint = "Destroy the data products that consume it first, or remove this data product from their " +
	"upstream. When both are in one configuration, make the consumers depend on it (reference its id or output_port " +
	"in their upstream, or add depends_on), so that Terraform destroys them first."

func stillInUse(id string, users []entropydata.Access) string {
	var lines []string
	for _, a := range users {
		who := "team " + a.Consumer.TeamID
		switch {
		case a.Consumer.DataProductID != "":
			who = "data product " + a.Consumer.DataProductID
		case a.Consumer.UserID != "":
			who = "user " + a.Consumer.UserID
		}
		lines = append(lines, fmt.Sprintf("  - %s, through access agreement %q on output port %q", who, a.ID, a.Provider.OutputPortID))
	}
	return fmt.Sprintf("Entropy Data cannot delete the data product %q while active access agreements use it:\n%s\n\n%s",
		id, strings.Join(lines, "\n"), destroyOrderHint)
}

// resolvePort returns the output port to write: the planned one, or, when it
// was not known at plan time, the one the current assets describe. nil for a
// report.
func (r *dataProductResource) resolvePort(ctx context.Context, plan *resourceModel, diags *diag.Diagnostics) *port {
	if plan.Type.ValueString() != TypeSemanticModel {
		return nil
	}
	if p := portFrom(plan.OutputPort); p != nil {
		return p
	}
	m, err := r.catalog.SemanticModel(ctx, plan.AssetID.ValueString())
	if err != nil {
		addAssetError(diags, TypeSemanticModel, plan.AssetID.ValueString(), err)
		return nil
	}
	p := portOf(m)
	return &p
}

// resolveUpstream returns the upstream output ports to link: the planned
// ones, or, when the configuration leaves upstream out and the plan could
// not tell, the automatic links found now.
func (r *dataProductResource) resolveUpstream(ctx context.Context, plan, config *resourceModel, diags *diag.Diagnostics) []upstreamKey {
	if !plan.Upstream.IsUnknown() {
		keys := []upstreamKey{}
		for _, e := range upstreamEntries(ctx, plan.Upstream, diags) {
			keys = append(keys, e.upstreamKey)
		}
		return keys
	}
	if !config.Upstream.IsNull() {
		keys := []upstreamKey{}
		for _, m := range upstreamModels(ctx, config.Upstream, diags) {
			keys = append(keys, upstreamKey{m.DataProductID.ValueString(), m.OutputPortID.ValueString()})
		}
		return keys
	}
	if plan.Type.ValueString() != TypeReport {
		return []upstreamKey{}
	}
	rep, err := r.catalog.Report(ctx, plan.AssetID.ValueString())
	if err != nil {
		addAssetError(diags, TypeReport, plan.AssetID.ValueString(), err)
		return nil
	}
	keys, err := r.lineage().autoLinks(ctx, plan.ID.ValueString(), rep.SemanticModelAssetID)
	if err != nil {
		providerdata.AddAPIError(diags, "Could not look up the data products of the report's semantic model", err)
	}
	return keys
}
