// Package integration implements the entropydata_powerbi_integration resource
// and the entropydata_powerbi_integration_runs data source.
package integration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

const defaultTimeout = 20 * time.Minute

var (
	_ resource.ResourceWithConfigure   = (*integrationResource)(nil)
	_ resource.ResourceWithImportState = (*integrationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*integrationResource)(nil)
)

// NewResource returns the entropydata_powerbi_integration resource.
func NewResource() resource.Resource { return &integrationResource{} }

type integrationResource struct {
	data *providerdata.ProviderData
}

func (r *integrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_powerbi_integration"
}

func (r *integrationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

func (r *integrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerdata.From(req.ProviderData, &resp.Diagnostics)
}

func (r *integrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := providerdata.WithTimeout(ctx, plan.Timeouts.Create, defaultTimeout, &resp.Diagnostics)
	defer cancel()

	requireCredentialsOnCreate(&config, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	cred := r.credentialFromConfig(ctx, &config, &resp.Diagnostics)
	r.save(ctx, &plan, &config, cred, true, &resp.State, resp.Private, &resp.Diagnostics)
	identity.Set(ctx, resp.Identity, plan.ExternalID, &resp.Diagnostics)
}

func (r *integrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	identity.Set(ctx, resp.Identity, state.ExternalID, &resp.Diagnostics)
	in, err := r.data.Client.GetIntegration(ctx, state.ExternalID.ValueString())
	if entropydata.IsNotFound(err) {
		if ExplainUnavailable(ctx, r.data.Client, &resp.Diagnostics) {
			return
		}
		resp.Diagnostics.AddWarning("Power BI integration no longer exists",
			fmt.Sprintf("The integration %q was not found in Entropy Data (deleted outside Terraform?). It is removed "+
				"from the state; the next apply creates it again.", state.ExternalID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		providerdata.AddAPIError(&resp.Diagnostics, "Could not read the Power BI integration", err)
		return
	}
	state.fromAPI(ctx, in, r.data.Now(), &resp.Diagnostics)
	state.LatestRun = r.latestRun(ctx, state.ExternalID.ValueString(), &resp.Diagnostics)
	setDefaults(&state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	// A run that succeeded since (scheduled, or started in the UI) settles a
	// run_on_apply run that did not.
	if pendingRunOf(ctx, req.Private, &resp.Diagnostics) != nil && latestRunSucceeded(state.LatestRun) {
		setPendingRun(ctx, resp.Private, nil, &resp.Diagnostics)
	}
}

func latestRunSucceeded(run types.Object) bool {
	if run.IsNull() || run.IsUnknown() {
		return false
	}
	status, ok := run.Attributes()["status"].(types.String)
	return ok && status.ValueString() == entropydata.RunSuccess
}

func (r *integrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, state resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := providerdata.WithTimeout(ctx, plan.Timeouts.Update, defaultTimeout, &resp.Diagnostics)
	defer cancel()

	// The stored credential is kept unless the principal or the secret
	// changed, or when the configuration leaves credentials out.
	var cred *entropydata.Credential
	if !config.Credentials.IsNull() && credentialsChanged(ctx, &plan, &state, &resp.Diagnostics) {
		cred = r.credentialFromConfig(ctx, &config, &resp.Diagnostics)
	}
	r.save(ctx, &plan, &config, cred, false, &resp.State, resp.Private, &resp.Diagnostics)
	identity.Set(ctx, resp.Identity, plan.ExternalID, &resp.Diagnostics)
}

// save writes the planned integration (with cred, or keeping the stored
// credential when nil), records in state what now exists remotely, and only
// then runs the import when the plan said so (latest_run unknown, see
// ModifyPlan): a failing run leaves the saved integration in state. An update
// starts from the stored configuration.
func (r *integrationResource) save(ctx context.Context, plan, config *resourceModel, cred *entropydata.Credential, creating bool,
	state *tfsdk.State, private privateStateSetter, diags *diag.Diagnostics) {
	if diags.HasError() {
		return
	}
	run := plan.RunOnApply.ValueBool() && plan.LatestRun.IsUnknown()
	r.checkBeforeWrite(ctx, plan, cred, diags)
	if diags.HasError() {
		return
	}
	r.write(ctx, plan, cred, !creating, diags)
	if diags.HasError() {
		return
	}
	r.readInto(ctx, plan, diags)
	if plan.LatestRun.IsUnknown() {
		plan.LatestRun = r.latestRun(ctx, plan.ExternalID.ValueString(), diags)
	}
	r.completePreview(ctx, plan, config, diags)
	diags.Append(state.Set(ctx, plan)...)
	if diags.HasError() || !run {
		return
	}
	pending := r.runOnApply(ctx, plan, creating, diags)
	diags.Append(state.SetAttribute(ctx, path.Root("latest_run"), plan.LatestRun)...)
	setPendingRun(ctx, private, pending, diags)
}

func (r *integrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := providerdata.WithTimeout(ctx, state.Timeouts.Delete, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	r.guardDestroy(ctx, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ExternalID.ValueString()
	err := r.data.Client.DeleteIntegration(ctx, id, state.DeleteAssetsOnDestroy.ValueBool())
	if entropydata.IsNotFound(err) {
		// Gone already, or a server without the write endpoint: only a
		// look at the integration tells. A look that fails otherwise
		// decides nothing, so the delete is reported as failed.
		_, getErr := r.data.Client.GetIntegration(ctx, id)
		switch {
		case entropydata.IsNotFound(getErr):
			return
		case getErr != nil:
			err = getErr
		}
	}
	switch {
	case err == nil:
	case writeUnsupported(err):
		addReadOnlyError(&resp.Diagnostics, "delete", id, err)
	default:
		providerdata.AddAPIError(&resp.Diagnostics, "Could not delete the Power BI integration", err)
	}
}

func (r *integrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := identity.ImportID(ctx, req, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("external_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	identity.Set(ctx, resp.Identity, types.StringValue(id), &resp.Diagnostics)
}

// setDefaults fills the provider-side settings after an import, where the
// server has nothing to say about them.
func setDefaults(m *resourceModel) {
	def := func(v *types.Bool, d bool) {
		if v.IsNull() || v.IsUnknown() {
			*v = types.BoolValue(d)
		}
	}
	def(&m.RunOnApply, false)
	def(&m.WaitForRun, true)
	def(&m.ValidateCredentials, true)
	def(&m.DeleteAssetsOnDestroy, false)
	def(&m.AllowDroppingGoverned, false)
	def(&m.Preview, m.ValidateCredentials.ValueBool())
}

// credentialFromConfig reads the credential, including the write-only
// secret, which only the configuration carries.
func (r *integrationResource) credentialFromConfig(ctx context.Context, config *resourceModel, diags *diag.Diagnostics) *entropydata.Credential {
	c := config.credentials(ctx, diags)
	secret := c.ClientSecretWO.ValueString()
	if secret == "" {
		secret = c.ClientSecret.ValueString()
	}
	if secret == "" {
		diags.AddAttributeError(path.Root("credentials"), "Missing client secret",
			"Set credentials.client_secret_wo (with client_secret_wo_version) or credentials.client_secret.")
		return nil
	}
	return &entropydata.Credential{
		Type: entropydata.CredentialTypeServicePrincipal,
		Details: entropydata.ServicePrincipal{
			TenantID:     c.TenantID.ValueString(),
			ClientID:     c.ClientID.ValueString(),
			ClientSecret: secret,
		},
	}
}

func credentialsChanged(ctx context.Context, plan, state *resourceModel, diags *diag.Diagnostics) bool {
	p, s := plan.credentials(ctx, diags), state.credentials(ctx, diags)
	return !p.TenantID.Equal(s.TenantID) || !p.ClientID.Equal(s.ClientID) ||
		!p.ClientSecretWOVersion.Equal(s.ClientSecretWOVersion) || !p.ClientSecret.Equal(s.ClientSecret)
}

// checkBeforeWrite catches, with an attribute-level error, what the server
// would otherwise reject with a less precise message. A name in use is left
// to the server's 409 (see nameInUse): listing every integration on each
// write would cost more than it adds.
func (r *integrationResource) checkBeforeWrite(ctx context.Context, plan *resourceModel, cred *entropydata.Credential, diags *diag.Diagnostics) {
	if team := plan.OwnerTeam.ValueString(); team != "" {
		r.data.CheckTeam(ctx, team, path.Root("owner_team"), diags)
	}
	if diags.HasError() || cred == nil || !plan.ValidateCredentials.ValueBool() {
		return
	}
	diags.Append(checkCredentials(ctx, r.data.PowerBI, cred.Details, secretPath(ctx, plan, diags))...)
}

// secretPath is the attribute holding the secret, for error messages.
func secretPath(ctx context.Context, plan *resourceModel, diags *diag.Diagnostics) path.Path {
	if c := plan.credentials(ctx, diags); !c.ClientSecret.IsNull() {
		return path.Root("credentials").AtName("client_secret")
	}
	return path.Root("credentials").AtName("client_secret_wo")
}

func (r *integrationResource) write(ctx context.Context, plan *resourceModel, cred *entropydata.Credential, update bool, diags *diag.Diagnostics) {
	id := plan.ExternalID.ValueString()
	var stored *entropydata.IntegrationConfiguration
	if update {
		in, err := r.data.Client.GetIntegration(ctx, id)
		switch {
		case err == nil:
			stored = in.Configuration
		case !entropydata.IsNotFound(err):
			providerdata.AddAPIError(diags, "Could not read the Power BI integration before changing it", err)
			return
		}
	}
	body := plan.toWrite(ctx, cred, stored, diags)
	if diags.HasError() {
		return
	}
	err := r.data.Client.PutIntegration(ctx, id, body)
	switch {
	case err == nil:
	case writeUnsupported(err):
		if !ExplainUnavailable(ctx, r.data.Client, diags) {
			op := "create"
			if update {
				op = "change"
			}
			addReadOnlyError(diags, op, id, err)
		}
	case errors.Is(err, entropydata.ErrConflict):
		r.nameInUse(ctx, plan, err, diags)
	default:
		providerdata.AddAPIError(diags, "Could not save the Power BI integration", err)
	}
}

// nameInUse explains a 409 on a write: names are unique in the organization,
// so it names the integration that holds the name when it can find it.
func (r *integrationResource) nameInUse(ctx context.Context, plan *resourceModel, conflict error, diags *diag.Diagnostics) {
	existing, err := r.data.Client.ListIntegrations(ctx, entropydata.ListIntegrationsOptions{})
	if err == nil {
		for _, other := range existing {
			if other.Name == plan.Name.ValueString() && other.ExternalID != plan.ExternalID.ValueString() {
				diags.AddAttributeError(path.Root("name"), "Integration name already in use",
					fmt.Sprintf("The integration %q is already named %q; names are unique in the organization. "+
						"Choose another name, or import that integration instead.", other.ExternalID, other.Name))
				return
			}
		}
	}
	diags.AddAttributeError(path.Root("name"), "Could not save the Power BI integration", conflict.Error())
}

// readInto refreshes the model from the server after a write.
func (r *integrationResource) readInto(ctx context.Context, m *resourceModel, diags *diag.Diagnostics) {
	in, err := r.data.Client.GetIntegration(ctx, m.ExternalID.ValueString())
	if err != nil {
		providerdata.AddAPIError(diags, "Could not read the Power BI integration after saving it", err)
		return
	}
	creds := m.Credentials
	m.fromAPI(ctx, in, r.data.Now(), diags)
	m.Credentials = creds // the server never returns the credential
}

func (r *integrationResource) latestRun(ctx context.Context, externalID string, diags *diag.Diagnostics) types.Object {
	run, err := r.data.Client.GetLatestRun(ctx, externalID)
	if entropydata.IsNotFound(err) {
		return runValue(nil)
	}
	if err != nil {
		providerdata.AddAPIError(diags, "Could not read the latest ingestion run", err)
		return runValue(nil)
	}
	return runValue(run)
}

// ExplainUnavailable (also used by the run action) turns a 404 into the reason when the whole integrations
// feature is off on this server. It reports whether it added that error.
func ExplainUnavailable(ctx context.Context, client *entropydata.Client, diags *diag.Diagnostics) bool {
	ok, err := client.IngestionsAvailable(ctx)
	if err != nil || ok {
		return false
	}
	diags.AddError("Integrations are not available on this Entropy Data server",
		"The server answers 404 for /api/integrations. Integrations need an Entropy Data Enterprise licence; on a "+
			"self-hosted instance also set the environment variable APPLICATION_INGESTIONS_ENABLED=true and restart it. "+
			"Check that the provider's host points at the right server.")
	return true
}

// writeUnsupported: the write endpoint answered 404 or 405. When the
// integrations API itself answers, the server is read-and-run only.
func writeUnsupported(err error) bool {
	return entropydata.IsNotFound(err) || errors.Is(err, entropydata.ErrMethodNotAllowed)
}

// addReadOnlyError explains a server whose integrations API is read-and-run
// only, and the way to work with it.
func addReadOnlyError(diags *diag.Diagnostics, op, externalID string, err error) {
	diags.AddError("This Entropy Data server does not let Terraform "+op+" integrations",
		fmt.Sprintf("This Entropy Data server does not let integrations be created, changed or deleted through its API: "+
			"it serves the integrations API read-and-run only (%s).\n\n"+
			"Create or change the integration %q in the Entropy Data UI (Studio -> Assets -> Manage Integrations). "+
			"Then remove the entropydata_powerbi_integration resource from the configuration (terraform state rm, or a "+
			"removed block, if it is in the state) and refer to the integration with the data source "+
			"entropydata_powerbi_integration instead: runs, discovery (the semantic model and report data sources) "+
			"and data products are all managed from Terraform as before.", err, externalID))
}
