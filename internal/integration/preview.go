package integration

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// previewLimit is how many names each list of filter_preview shows, so a
// plan stays readable; the counts are complete.
const previewLimit = 20

var (
	previewNull    = types.ObjectNull(filterpreview.PreviewAttrTypes)
	previewUnknown = types.ObjectUnknown(filterpreview.PreviewAttrTypes)
)

// plannedPreview is the plan's filter_preview: null when previews are off
// or the configuration has no credentials;
// the state's value while the filters and credentials are unchanged, so an
// unchanged resource plans empty whatever happens in Power BI; otherwise
// read now, or unknown (read at apply) when it cannot be read now.
func (r *integrationResource) plannedPreview(ctx context.Context, plan, config, state *resourceModel, diags *diag.Diagnostics) types.Object {
	switch {
	case plan.Preview.IsUnknown():
		return previewUnknown
	case !plan.Preview.ValueBool():
		return previewNull
	case state != nil && state.Preview.ValueBool() && plan.Filters.Equal(state.Filters) &&
		!credentialsChanged(ctx, plan, state, diags):
		return state.FilterPreview
	case config.Credentials.IsNull():
		return previewNull // the secret is only in Entropy Data
	}
	value, err := r.readPreview(ctx, plan, config, diags)
	if err != nil {
		detail := "The plan goes on without it; filter_preview is read again when applying.\n\n" + err.Error()
		if _, ok := powerbi.AsAuthError(err); ok && plan.ValidateCredentials.ValueBool() {
			detail += "\n\nIf the credentials are wrong, the credential check fails the apply with this reason."
		}
		diags.AddAttributeWarning(path.Root("filter_preview"), "Filter preview skipped", detail)
		return previewUnknown
	}
	return value
}

// completePreview fills in at apply a filter_preview the plan could not
// read. A failure leaves it null, with a warning: it never fails the apply.
func (r *integrationResource) completePreview(ctx context.Context, plan, config *resourceModel, diags *diag.Diagnostics) {
	if !plan.FilterPreview.IsUnknown() {
		return
	}
	plan.FilterPreview = previewNull
	if !plan.Preview.ValueBool() {
		return
	}
	value, err := r.readPreview(ctx, plan, config, diags)
	if err != nil {
		diags.AddAttributeWarning(path.Root("filter_preview"), "Filter preview skipped",
			"filter_preview stays empty until the filters or the credentials change.\n\n"+err.Error())
		return
	}
	if !value.IsUnknown() {
		plan.FilterPreview = value
	}
}

// readPreview reads what the planned filters select, as the configured
// service principal, and adds the filter warnings. It returns unknown (and
// no error) while the filters or the credentials are not known yet.
func (r *integrationResource) readPreview(ctx context.Context, plan, config *resourceModel, diags *diag.Diagnostics) (types.Object, error) {
	creds, known := previewCredentials(ctx, config, diags)
	if !known || r.data == nil || !filterpreview.FiltersKnown(plan.Filters) {
		return previewUnknown, nil
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, creds.ClientSecret)
	ctx = tflog.MaskMessageStrings(ctx, creds.ClientSecret)
	f := filterpreview.FiltersFrom(ctx, plan.Filters, diags)
	inv, err := filterpreview.Read(ctx, r.data.PowerBI, creds, f.Workspaces)
	if err != nil {
		return previewUnknown, err
	}
	filterpreview.AddWarnings(diags, filterpreview.Warnings(inv, f))
	return filterpreview.Select(inv, f).Object(previewLimit), nil
}

// previewCredentials takes the credentials from the configuration, the only
// place that holds the write-only secret. known is false while any part is
// not known (computed by another resource).
func previewCredentials(ctx context.Context, config *resourceModel, diags *diag.Diagnostics) (creds powerbi.Credentials, known bool) {
	if config.Credentials.IsUnknown() || config.Credentials.IsNull() {
		return creds, false
	}
	c := config.credentials(ctx, diags)
	secret := c.ClientSecretWO
	if secret.IsNull() {
		secret = c.ClientSecret
	}
	for _, v := range []types.String{c.TenantID, c.ClientID, secret} {
		if v.IsUnknown() || v.ValueString() == "" {
			return creds, false
		}
	}
	return powerbi.Credentials{TenantID: c.TenantID.ValueString(), ClientID: c.ClientID.ValueString(), ClientSecret: secret.ValueString()}, true
}
