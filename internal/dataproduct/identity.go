package dataproduct

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*dataProductResource)(nil)

// identityModel is the resource identity (Terraform 1.12+): what import
// blocks with `identity = { ... }` and `terraform query` name a data product by.
type identityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *dataProductResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The data product's id.",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records the identity; Terraform older than 1.12 ignores it.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String, diags *diag.Diagnostics) {
	if identity == nil || id.IsNull() || id.IsUnknown() {
		return
	}
	diags.Append(identity.Set(ctx, identityModel{ID: id})...)
}

// importID is the import id, or the id of an identity import.
func importID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	var m identityModel
	diags.Append(req.Identity.Get(ctx, &m)...)
	if m.ID.ValueString() == "" {
		diags.AddAttributeError(path.Root("id"), "Missing id", "Import needs the data product's id.")
	}
	return m.ID.ValueString()
}
