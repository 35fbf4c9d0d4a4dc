package integration

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// checkCredentials gets a token for the service principal and lists the
// workspaces it can see, so a wrong secret fails the apply here, with a
// precise message, instead of failing every scheduled run later.
func checkCredentials(ctx context.Context, s providerdata.PowerBISettings, sp entropydata.ServicePrincipal, secretAttr path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	creds := path.Root("credentials")
	client, err := s.NewClient(powerbi.Credentials{TenantID: sp.TenantID, ClientID: sp.ClientID, ClientSecret: sp.ClientSecret})
	if err != nil {
		diags.AddAttributeError(creds, "Could not check the Power BI credentials", err.Error())
		return diags
	}
	groups, err := client.ListGroups(ctx)
	if err != nil {
		attr, summary := credentialErrorTarget(err, creds, secretAttr)
		diags.AddAttributeError(attr, summary, err.Error()+
			"\n\nIf the machine running Terraform cannot reach Microsoft Entra ID and Power BI, set validate_credentials = false.")
		return diags
	}
	if len(groups) == 0 {
		diags.AddAttributeError(creds.AtName("client_id"), "The service principal sees no Power BI workspace",
			fmt.Sprintf("The service principal %s authenticated, but Power BI shows it no workspace, so the integration "+
				"would import nothing. Add the principal (or a security group it belongs to) to each workspace to import, "+
				"with at least the Viewer role.", sp.ClientID))
	}
	return diags
}

// credentialErrorTarget picks the attribute an authentication failure is about.
func credentialErrorTarget(err error, creds, secretAttr path.Path) (path.Path, string) {
	if ae, ok := powerbi.AsAuthError(err); ok {
		switch ae.AADSTS {
		case 7000215, 7000222:
			return secretAttr, "Microsoft Entra ID rejected the client secret"
		case 700016, 7000112:
			return creds.AtName("client_id"), "Microsoft Entra ID does not know this application"
		case 90002:
			return creds.AtName("tenant_id"), "Microsoft Entra ID does not know this tenant"
		}
		return creds, "Microsoft Entra ID refused the service principal"
	}
	var pe *powerbi.APIError
	if errors.As(err, &pe) {
		return creds, "Power BI refused the service principal"
	}
	return creds, "Could not check the Power BI credentials"
}

// requireCredentialsOnCreate: Entropy Data needs a credential to create an
// integration; an existing one keeps its stored credential when the
// configuration has none.
func requireCredentialsOnCreate(config *resourceModel, creating bool, diags *diag.Diagnostics) {
	if creating && config.Credentials.IsNull() {
		diags.AddAttributeError(path.Root("credentials"), "Missing credentials",
			"Creating an integration needs the service principal: set credentials (tenant_id, client_id, and "+
				"client_secret_wo with client_secret_wo_version, or client_secret). Only an existing integration, "+
				"such as one imported from Entropy Data, may leave credentials out to keep its stored credential.")
	}
}
