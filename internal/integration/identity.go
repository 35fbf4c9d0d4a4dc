package integration

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entropy-data/terraform-provider-entropydata/internal/listing"
)

var _ resource.ResourceWithIdentity = (*integrationResource)(nil)

var identity = listing.Identity{Attribute: "external_id", Description: "The integration's external id."}

func (r *integrationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identity.Schema()
}
