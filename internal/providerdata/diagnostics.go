package providerdata

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// AddAPIError reports a failed API call. The client's error text already names
// the operation, the object, the HTTP status and the server's detail; this
// adds what the user can do about the common cases.
func AddAPIError(diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	switch {
	case errors.Is(err, entropydata.ErrForbidden):
		detail += "\n\nCheck that the provider's api_key (or ENTROPY_DATA_API_KEY) is valid and that its scope allows this operation."
	case errors.Is(err, entropydata.ErrValidation):
		detail += "\n\nThe server rejected the request as invalid; correct the configuration and apply again."
	}
	diags.AddError(summary, detail)
}
