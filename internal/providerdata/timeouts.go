package providerdata

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// TimeoutsAttribute is a resource's timeouts block for create, update and
// delete, with a description of its own: the framework's says nothing.
func TimeoutsAttribute(description, create, update, deleting string) schema.Attribute {
	a := timeouts.Attributes(context.Background(), timeouts.Opts{ //nolint:forcetypeassert // the timeouts module documents this type
		Create: true, Update: true, Delete: true,
		CreateDescription: create, UpdateDescription: update, DeleteDescription: deleting,
	}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = description
	return a
}

// WithTimeout bounds ctx by an operation's configured timeout, e.g.
// WithTimeout(ctx, model.Timeouts.Create, 20*time.Minute, diags).
func WithTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, ds := get(ctx, def)
	diags.Append(ds...)
	return context.WithTimeout(ctx, d)
}
