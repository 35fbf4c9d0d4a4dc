package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
)

const runsDataSource = `
data "entropydata_powerbi_integration_runs" "test" {
  integration = %q
}
`

// The provider reads host and key from the environment like Entropy Data's CLI.
func TestAccProvider_environment(t *testing.T) {
	sb := acctest.Sandbox(t)
	id := acctest.Ingest(t, sb, "Marketing")
	t.Setenv(provider.EnvHost, sb.APIURL)
	t.Setenv(provider.EnvAPIKey, sb.APIKey)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: `provider "entropydata" {}` + fmt.Sprintf(runsDataSource, id),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entropydata_powerbi_integration_runs.test",
					tfjsonpath.New("runs").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("SUCCESS")),
			},
		}},
	})
}

func TestAccProvider_configurationErrors(t *testing.T) {
	sb := acctest.Sandbox(t)
	t.Setenv(provider.EnvAPIKey, "")
	cases := []struct {
		name, provider, want string
	}{
		{"missing key", fmt.Sprintf(`provider "entropydata" {
  host = %q
}`, sb.APIURL), `(?s)Missing Entropy Data API key.*ENTROPY_DATA_API_KEY`},
		{"wrong key", fmt.Sprintf(`provider "entropydata" {
  host    = %q
  api_key = "not-a-key"
}`, sb.APIURL), `(?s)HTTP 403.*api_key`},
		{"bad host", `provider "entropydata" {
  host    = "api.entropy-data.com"
  api_key = "x"
}`, `(?s)Invalid URL.*not an absolute http or https URL`},
		{"http authority", `provider "entropydata" {
  host                 = "https://127.0.0.1:9"
  api_key              = "x"
  entra_authority_host = "http://login.example.com"
}`, `(?s)not an absolute https URL`},
		{"bad timeout", `provider "entropydata" {
  host            = "https://127.0.0.1:9"
  api_key         = "x"
  request_timeout = "30"
}`, `(?s)Invalid duration`},
		{"negative retries", `provider "entropydata" {
  host        = "https://127.0.0.1:9"
  api_key     = "x"
  max_retries = -1
}`, `(?s)max_retries.*between 0 and 20`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
				Steps: []resource.TestStep{{
					Config:      tc.provider + fmt.Sprintf(runsDataSource, "some-integration"),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

// A key or host known only after apply is reported the framework's way,
// not guessed.
func TestAccProvider_unknownAtPlan(t *testing.T) {
	sb := acctest.Sandbox(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "key" {
  input = "later"
}
provider "entropydata" {
  host    = "https://127.0.0.1:9"
  api_key = terraform_data.key.output
}
` + fmt.Sprintf(runsDataSource, "x"),
			ExpectError: regexp.MustCompile(`(?s)Unknown provider api_key`),
		}},
	})
}
