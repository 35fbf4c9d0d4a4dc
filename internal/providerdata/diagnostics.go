package providerdata

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// AddAPIError reports a failed API call. The client's error text already names
// the operation, the object, the HTTP status and the server's detail; this
// adds what the user can do about the common cases.
func AddAPIError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, apiErrorDetail(err))
}

// AddAttributeAPIError is AddAPIError on the attribute the failed call was for.
func AddAttributeAPIError(diags *diag.Diagnostics, at path.Path, summary string, err error) {
	diags.AddAttributeError(at, summary, apiErrorDetail(err))
}

func apiErrorDetail(err error) string {
	detail := err.Error()
	switch {
	case errors.Is(err, entropydata.ErrForbidden):
		detail += "\n\nCheck that the provider's api_key (or ENTROPY_DATA_API_KEY) is valid and that its scope allows this operation."
	case errors.Is(err, entropydata.ErrValidation):
		detail += "\n\nThe server rejected the request as invalid; correct the configuration and apply again."
	}
	return detail
}

// AddUnknownIntegration reports, on a data source's integration attribute,
// that Entropy Data has no integration with this external id. It is an
// error, not an empty result: under for_each an empty list would plan the
// destruction of everything built from it. The usual cause is an
// integration created in the same configuration, whose external_id is known
// before the integration exists, so the data source reads too early.
func AddUnknownIntegration(diags *diag.Diagnostics, externalID string) {
	diags.AddAttributeError(path.Root("integration"), "Unknown integration", fmt.Sprintf(
		"Entropy Data has no integration with external id %q. Check the id: it is the integration's external_id, not "+
			"its name.\n\nIf the integration is created in this configuration, make this data source read after it: set "+
			"integration = entropydata_powerbi_integration.<name>.external_id, or add depends_on = "+
			"[entropydata_powerbi_integration.<name>]; with run_on_apply = true the first import has finished by then. "+
			"A literal id is read during the plan, before the integration exists.", externalID))
}
