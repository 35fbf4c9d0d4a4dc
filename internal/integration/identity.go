package integration

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*integrationResource)(nil)

// identityModel is the resource identity (Terraform 1.12+): what import
// blocks with `identity = { ... }` and `terraform query` name an integration by.
type identityModel struct {
	ExternalID types.String `tfsdk:"external_id"`
}

func (r *integrationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"external_id": identityschema.StringAttribute{
				Description:       "The integration's external id.",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records the identity; Terraform older than 1.12 ignores it.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, externalID types.String, diags *diag.Diagnostics) {
	if identity == nil || externalID.IsNull() || externalID.IsUnknown() {
		return
	}
	diags.Append(identity.Set(ctx, identityModel{ExternalID: externalID})...)
}

// importID is the import id, or the external id of an identity import.
func importID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	var m identityModel
	diags.Append(req.Identity.Get(ctx, &m)...)
	if m.ExternalID.ValueString() == "" {
		diags.AddAttributeError(path.Root("external_id"), "Missing external_id", "Import needs the integration's external_id.")
	}
	return m.ExternalID.ValueString()
}
