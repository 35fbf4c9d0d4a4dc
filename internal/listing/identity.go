package listing

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Identity is a resource identity (Terraform 1.12+) of one string attribute
// that is also the resource's import id and an attribute of the same name:
// what import blocks with `identity = { ... }` and `terraform query` name an
// object by.
type Identity struct {
	Attribute   string
	Description string
}

// Schema is the identity schema.
func (i Identity) Schema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			i.Attribute: identityschema.StringAttribute{Description: i.Description, RequiredForImport: true},
		},
	}
}

// Set records the identity; Terraform older than 1.12 ignores it.
func (i Identity) Set(ctx context.Context, identity *tfsdk.ResourceIdentity, value types.String, diags *diag.Diagnostics) {
	if identity == nil || value.IsNull() || value.IsUnknown() {
		return
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(i.Attribute), value)...)
}

// ImportID is the import id, or the attribute of an identity import.
func (i Identity) ImportID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	var v types.String
	diags.Append(req.Identity.GetAttribute(ctx, path.Root(i.Attribute), &v)...)
	if v.ValueString() == "" {
		diags.AddAttributeError(path.Root(i.Attribute), "Missing "+i.Attribute, "Import needs the "+i.Attribute+" of the object to import.")
	}
	return v.ValueString()
}
