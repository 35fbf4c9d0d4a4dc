package dataproduct

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// defaultTimeout bounds an operation. One request is bounded by the
// provider's request_timeout, but an operation makes several, and the client
// waits between retries as long as the server's Retry-After asks.
const defaultTimeout = 10 * time.Minute

func timeoutsAttribute() schema.Attribute {
	return providerdata.TimeoutsAttribute(
		"How long Terraform waits for the data product's operations, as durations such as `10m`. "+
			"They include waiting between retries when Entropy Data throttles (429 with Retry-After) or is unavailable. "+
			"Provider-side: changing them changes nothing in Entropy Data.",
		"How long create may take, including the access agreements of `upstream` and retries. Defaults to 10m.",
		"How long update may take, including the access agreements of `upstream` and retries. Defaults to 10m.",
		"How long destroy may take, including cancelling the access agreements and retries. Defaults to 10m.")
}
