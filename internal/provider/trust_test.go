package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

// The provider as users run it: no HTTP client injected by a test.
var plainProvider = map[string]func() (tfprotov6.ProviderServer, error){
	"entropydata": providerserver.NewProtocol6WithError(provider.New("acctest")()),
}

// previewHCL asks Entra ID for a token and Power BI for the workspaces.
const trustPreviewHCL = `
data "entropydata_powerbi_filter_preview" "test" {
  tenant_id = %q
  client_id = %q
  filters   = { workspaces = { include = ["Finance*"], exclude = ["*Sandbox*"] } }
}
`

// untrusted is what a request to the sandbox says without its CA: the
// certificate error and how to fix it.
var untrusted = regexp.MustCompile(`(?s)certificate.*unknown\s+authority.*ca_cert_file.*ENTROPY_DATA_CA_CERT_FILE`)

// The CA setting alone makes the provider trust a server behind a private
// CA, for all three services: Entropy Data (the runs data source), Entra ID
// and Power BI (the filter preview). The sandbox's CA is created for this
// test, so no system store and no SSL_CERT_FILE can hold it; the first steps
// show the same configuration fails without the setting.
func TestAccProvider_trustsAPrivateCAThroughCACertFile(t *testing.T) {
	acctest.PreCheck(t)
	sb := acctest.StartSandbox(t, sandbox.Options{})
	id := acctest.Ingest(t, sb, "Marketing")
	t.Setenv("SSL_CERT_FILE", "")
	t.Setenv(provider.EnvCACertFile, "")
	t.Setenv(filterpreview.DefaultSecretEnv, acctest.ClientSecret)

	runs := fmt.Sprintf(runsDataSource, id)
	preview := fmt.Sprintf(trustPreviewHCL, acctest.TenantID, acctest.ClientID)
	works := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.entropydata_powerbi_integration_runs.test",
			tfjsonpath.New("runs").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
		statecheck.ExpectKnownValue("data.entropydata_powerbi_filter_preview.test",
			tfjsonpath.New("workspaces"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Finance")})),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: plainProvider,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(sb) + runs, ExpectError: untrusted},
			{Config: acctest.ProviderConfig(sb) + preview, ExpectError: untrusted},
			{
				Config:            acctest.ProviderConfig(sb, fmt.Sprintf("ca_cert_file = %q", sb.CAFile)) + runs + preview,
				ConfigStateChecks: works,
			},
			{
				// The same through the environment variable, as the sandbox exports it.
				PreConfig:         func() { t.Setenv(provider.EnvCACertFile, sb.CAFile) },
				Config:            acctest.ProviderConfig(sb) + runs + preview,
				ConfigStateChecks: works,
			},
		},
	})
}

func TestAccProvider_caCertFileAndCloudErrors(t *testing.T) {
	acctest.PreCheck(t)
	sb := acctest.Sandbox(t)
	dir := t.TempDir()
	noCert := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(noCert, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, extra, env, want string
	}{
		{"missing file", fmt.Sprintf("ca_cert_file = %q", filepath.Join(dir, "missing.pem")), "",
			`(?s)Unusable CA certificate file.*ca_cert_file.*does\s+not\s+exist`},
		{"no certificate", fmt.Sprintf("ca_cert_file = %q", noCert), "",
			`(?s)Unusable CA certificate file.*holds\s+no\s+PEM\s+certificate`},
		{"no certificate from the environment", "", noCert,
			`(?s)Unusable CA certificate file.*ENTROPY_DATA_CA_CERT_FILE.*holds\s+no\s+PEM\s+certificate`},
		{"unknown cloud", `cloud = "gcc"`, "", `(?s)cloud.*value must be one of.*usgovhigh`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(provider.EnvCACertFile, tc.env)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfig(sb, tc.extra) + fmt.Sprintf(runsDataSource, "some-integration"),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
