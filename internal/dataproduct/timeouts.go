package dataproduct

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// defaultTimeout bounds an operation. One request is bounded by the
// provider's request_timeout, but an operation makes several, and the client
// waits between retries as long as the server's Retry-After asks.
const defaultTimeout = 10 * time.Minute

func timeoutsAttribute() schema.Attribute {
	a := timeouts.Attributes(context.Background(), timeouts.Opts{
		Create:            true,
		Update:            true,
		Delete:            true,
		CreateDescription: "How long create may take, including the access agreements of `upstream` and retries. Defaults to 10m.",
		UpdateDescription: "How long update may take, including the access agreements of `upstream` and retries. Defaults to 10m.",
		DeleteDescription: "How long destroy may take, including cancelling the access agreements and retries. Defaults to 10m.",
	}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "How long Terraform waits for the data product's operations, as durations such as `10m`. " +
		"They include waiting between retries when Entropy Data throttles (429 with Retry-After) or is unavailable. " +
		"Provider-side: changing them changes nothing in Entropy Data."
	return a
}

// withTimeout bounds ctx by the operation's configured timeout.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, ds := get(ctx, defaultTimeout)
	diags.Append(ds...)
	return context.WithTimeout(ctx, d)
}
