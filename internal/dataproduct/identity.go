package dataproduct

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entropy-data/terraform-provider-entropydata/internal/listing"
)

var _ resource.ResourceWithIdentity = (*dataProductResource)(nil)

var identity = listing.Identity{Attribute: "id", Description: "The data product's id."}

func (r *dataProductResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identity.Schema()
}
