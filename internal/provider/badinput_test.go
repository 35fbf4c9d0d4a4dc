package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// The bad-input catalogue: one place that lists what a user can get wrong
// in every resource, data source and the provider block, and the error each
// mistake gets. Each case asserts its own error text (summary, the block it
// is about, and the specific reason), runs against a sandbox of its own,
// and is marked offline when the mistake can be known without the network:
// then the sandbox must see no request at all (no Entropy Data, Entra ID or
// Power BI call), and otherwise it must see some, so the marking is checked
// both ways. The provider is wrapped so that a panic in any of its RPCs is
// recorded and fails the case, instead of crashing the test binary.

// badInputEnv is what a case's configuration may refer to.
type badInputEnv struct {
	sb       *sandbox.Sandbox
	imported string // external id of the integration that imported the demo tenant; "" offline
}

type badInputCase struct {
	name string
	// offline: the mistake is caught without any request; the sandbox must
	// see none. Otherwise the demo tenant is imported first and the case
	// must reach the sandbox.
	offline bool
	// apply: the error only comes when applying (a check in Create).
	apply bool
	// provider replaces the standard provider block (which points at the
	// sandbox), for the provider's own cases.
	provider func(e badInputEnv) string
	config   func(e badInputEnv) string
	want     *regexp.Regexp
	// wantFor replaces want when the text depends on the environment.
	wantFor func(e badInputEnv) *regexp.Regexp
}

// errorText matches an error with this summary whose output then contains
// the texts in order, however Terraform wraps its lines.
func errorText(summary string, texts ...string) *regexp.Regexp {
	parts := []string{`Error: ` + loose(summary)}
	for _, t := range texts {
		parts = append(parts, loose(t))
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

func loose(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

// fixed returns a configuration that does not depend on the environment.
func fixed(hcl string) func(badInputEnv) string {
	return func(badInputEnv) string { return hcl }
}

// providerBlock is a provider block pointing at the sandbox, with some
// attributes replaced or added (name -> HCL value, "" to leave one out).
func providerBlock(e badInputEnv, set map[string]string) string {
	attrs := map[string]string{
		"host": fmt.Sprintf("%q", e.sb.APIURL), "api_key": fmt.Sprintf("%q", e.sb.APIKey),
		"entra_authority_host": fmt.Sprintf("%q", e.sb.AuthorityHost), "powerbi_endpoint": fmt.Sprintf("%q", e.sb.PowerBIEndpoint),
	}
	order := []string{"host", "api_key", "entra_authority_host", "powerbi_endpoint"}
	for k, v := range set {
		if _, known := attrs[k]; !known {
			order = append(order, k)
		}
		attrs[k] = v
	}
	var b strings.Builder
	b.WriteString("provider \"entropydata\" {\n")
	for _, k := range order {
		if attrs[k] != "" {
			fmt.Fprintf(&b, "  %s = %s\n", k, attrs[k])
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// A data source that needs the API, for the provider block's cases.
const runsData = `
data "entropydata_powerbi_integration_runs" "bad" {
  integration = "some-integration"
}
`

// integrationHCL is a valid integration with attributes replaced
// (name -> HCL value; "" leaves the attribute out) or added.
func integrationHCL(set map[string]string) string {
	attrs := map[string]string{
		"external_id": `"bad-input"`,
		"name":        `"Bad input"`,
		"credentials": fmt.Sprintf(`{
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = %q
    client_secret_wo_version = 1
  }`, tenant.DemoTenantID, tenant.DemoClientID, tenant.DemoClientSecret),
		"schedule": `{ preset = "daily" }`,
	}
	order := []string{"external_id", "name", "credentials", "schedule"}
	return block(`resource "entropydata_powerbi_integration" "bad"`, attrs, order, set)
}

// dataProductHCL is a valid semantic model data product on the Revenue
// model, with attributes replaced or added as for integrationHCL.
func dataProductHCL(set map[string]string) string {
	attrs := map[string]string{
		"id":         `"revenue"`,
		"type":       `"semantic_model"`,
		"asset_id":   fmt.Sprintf("%q", entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)),
		"title":      `"Revenue"`,
		"owner_team": `"finance"`,
	}
	order := []string{"id", "type", "asset_id", "title", "owner_team"}
	return block(`resource "entropydata_powerbi_data_product" "bad"`, attrs, order, set)
}

// previewHCL is a valid filter preview data source with attributes replaced or added.
func previewHCL(set map[string]string) string {
	attrs := map[string]string{
		"tenant_id":         fmt.Sprintf("%q", tenant.DemoTenantID),
		"client_id":         fmt.Sprintf("%q", tenant.DemoClientID),
		"client_secret_env": `"` + badInputSecretEnv + `"`,
	}
	order := []string{"tenant_id", "client_id", "client_secret_env"}
	return block(`data "entropydata_powerbi_filter_preview" "bad"`, attrs, order, set)
}

func block(header string, attrs map[string]string, order []string, set map[string]string) string {
	for k, v := range set {
		if _, known := attrs[k]; !known {
			order = append(order, k)
		}
		attrs[k] = v
	}
	var b strings.Builder
	b.WriteString(header + " {\n")
	for _, k := range order {
		if attrs[k] != "" {
			fmt.Fprintf(&b, "  %s = %s\n", k, attrs[k])
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// Environment variables the filter preview cases read the secret from.
const (
	badInputSecretEnv = "ENTROPY_DATA_BADINPUT_SECRET"       // holds a wrong secret
	badInputUnsetEnv  = "ENTROPY_DATA_BADINPUT_SECRET_UNSET" // is not set
)

func badInputCases() []badInputCase {
	revenueModel := entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)
	return []badInputCase{
		// The provider block.
		{name: "provider/host not http", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"host": `"ftp://api.entropy-data.com"`})
			},
			config: fixed(runsData),
			want:   errorText("Invalid URL", `in provider "entropydata"`, `"ftp://api.entropy-data.com" is not an absolute http or https URL`)},
		{name: "provider/powerbi endpoint relative", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"powerbi_endpoint": `"/v1.0/myorg"`})
			},
			config: fixed(runsData),
			want:   errorText("Invalid URL", "powerbi_endpoint", `"/v1.0/myorg" is not an absolute http or https URL`)},
		{name: "provider/entra authority with a path", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"entra_authority_host": `"https://login.microsoftonline.com/common"`})
			},
			config: fixed(runsData),
			want:   errorText("Invalid URL", "entra_authority_host", `has a path; give only the scheme and host`)},
		{name: "provider/timeout too short", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"request_timeout": `"500ms"`})
			},
			config: fixed(runsData),
			want:   errorText("Invalid duration", "request_timeout", "500ms is outside the allowed range 1s to 10m0s")},
		{name: "provider/too many retries", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"max_retries": `21`})
			},
			config: fixed(runsData),
			want:   errorText("Invalid Attribute Value", "max_retries value must be between 0 and 20, got: 21")},
		{name: "provider/unknown argument", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"token": `"x"`})
			},
			config: fixed(runsData),
			want:   errorText("Unsupported argument", `An argument named "token" is not expected here`)},
		{name: "provider/no API key", offline: true,
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"api_key": ""})
			},
			config: fixed(runsData),
			want:   errorText("Missing Entropy Data API key", "ENTROPY_DATA_API_KEY", "Organization settings > API keys")},
		{name: "provider/wrong API key",
			provider: func(e badInputEnv) string {
				return providerBlock(e, map[string]string{"api_key": `"ed-wrong-key"`})
			},
			config: fixed(`
data "entropydata_powerbi_semantic_models" "bad" {
  workspace = "Finance"
}
`),
			want: errorText("Could not list the Power BI semantic models", "HTTP 403", "api_key")},

		// entropydata_powerbi_integration
		{name: "integration/external id with ..", offline: true,
			config: fixed(integrationHCL(map[string]string{"external_id": `"finance..powerbi"`})),
			want:   errorText("Invalid id", "entropydata_powerbi_integration.bad", `"finance..powerbi" contains ".."`)},
		{name: "integration/name with trailing space", offline: true,
			config: fixed(integrationHCL(map[string]string{"name": `"Finance "`})),
			want:   errorText("Invalid name", "entropydata_powerbi_integration.bad", `"Finance " has leading or trailing whitespace`)},
		{name: "integration/description too long", offline: true,
			config: fixed(integrationHCL(map[string]string{"description": fmt.Sprintf("%q", strings.Repeat("x", 4001))})),
			want:   errorText("Invalid Attribute Value Length", "description string length must be at most 4000, got: 4001")},
		{name: "integration/tenant id in braces", offline: true,
			config: fixed(integrationHCL(map[string]string{"credentials": fmt.Sprintf(`{
    tenant_id     = "{%s}"
    client_id     = %q
    client_secret = "x"
  }`, tenant.DemoTenantID, tenant.DemoClientID)})),
			want: errorText("Invalid tenant_id", `"{`+tenant.DemoTenantID+`}" is not a GUID`)},
		{name: "integration/secret version 0", offline: true,
			config: fixed(integrationHCL(map[string]string{"credentials": fmt.Sprintf(`{
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = "x"
    client_secret_wo_version = 0
  }`, tenant.DemoTenantID, tenant.DemoClientID)})),
			want: errorText("Invalid Attribute Value", "client_secret_wo_version value must be at least 1, got: 0")},
		{name: "integration/empty plain secret", offline: true,
			config: fixed(integrationHCL(map[string]string{"credentials": fmt.Sprintf(`{
    tenant_id     = %q
    client_id     = %q
    client_secret = ""
  }`, tenant.DemoTenantID, tenant.DemoClientID)})),
			want: errorText("Invalid Attribute Value Length", "client_secret string length must be at least 1, got: 0")},
		{name: "integration/Quartz cron", offline: true,
			config: fixed(integrationHCL(map[string]string{"schedule": `{ cron = "0 0 6 * * ?" }`})),
			want:   errorText("Invalid schedule", "entropydata_powerbi_integration.bad", "got 6: Quartz expressions with seconds are not accepted here", `write "0 6 * * *"`)},
		{name: "integration/cron three times a day", offline: true,
			config: fixed(integrationHCL(map[string]string{"schedule": `{ cron = "0 6-8 * * *" }`})),
			want:   errorText("Invalid schedule", "3 times a day", "at most twice a day")},
		{name: "integration/no schedule", offline: true,
			config: fixed(integrationHCL(map[string]string{"schedule": ""})),
			want:   errorText("Missing required argument", `The argument "schedule" is required`)},
		{name: "integration/duplicate report exclude", offline: true,
			config: fixed(integrationHCL(map[string]string{"filters": `{ reports = { exclude = ["*(old)", "*(old)"] } }`})),
			want:   errorText("Duplicate List Value", "entropydata_powerbi_integration.bad", `contains duplicate values of: "*(old)"`)},
		{name: "integration/URL as a semantic model pattern", offline: true,
			config: fixed(integrationHCL(map[string]string{"filters": `{ semantic_models = { include = ["https://app.powerbi.com/groups/me/datasets/1"] } }`})),
			want:   errorText("Invalid filter pattern", `invalid pattern "https://app.powerbi.com/groups/me/datasets/1": it looks like a URL`)},
		{name: "integration/timeout not a duration", offline: true,
			config: fixed(integrationHCL(map[string]string{"timeouts": `{ create = "soon" }`})),
			want:   errorText("Invalid Attribute Value Time Duration", `"soon" must be a string containing a sequence of decimal numbers`)},
		{name: "integration/name already in use", apply: true,
			config: func(e badInputEnv) string {
				return integrationHCL(map[string]string{"name": fmt.Sprintf("%q", "Sandbox ingest "+e.imported)})
			},
			wantFor: func(e badInputEnv) *regexp.Regexp {
				return errorText("Integration name already in use",
					fmt.Sprintf(`The integration %q is already named "Sandbox ingest %s"`, e.imported, e.imported))
			}},

		// entropydata_powerbi_data_product
		{name: "data product/type in words", offline: true,
			config: fixed(dataProductHCL(map[string]string{"type": `"Semantic Model"`})),
			want:   errorText("Invalid Attribute Value Match", `type value must be one of: ["semantic_model" "report"], got: "Semantic Model"`)},
		{name: "data product/empty id", offline: true,
			config: fixed(dataProductHCL(map[string]string{"id": `""`})),
			want:   errorText("Invalid id", "entropydata_powerbi_data_product.bad", "The id must not be empty")},
		{name: "data product/empty title", offline: true,
			config: fixed(dataProductHCL(map[string]string{"title": `""`})),
			want:   errorText("Invalid name", "entropydata_powerbi_data_product.bad", "The name must not be blank")},
		{name: "data product/empty asset id", offline: true,
			config: fixed(dataProductHCL(map[string]string{"asset_id": `""`})),
			want:   errorText("Invalid Attribute Value Length", "asset_id string length must be between 1 and 512, got: 0")},
		{name: "data product/empty tag", offline: true,
			config: fixed(dataProductHCL(map[string]string{"tags": `["finance", ""]`})),
			want:   errorText("Invalid Attribute Value Length", `tags[Value("")] string length must be between 1 and 256, got: 0`)},
		{name: "data product/reserved custom field", offline: true,
			config: fixed(dataProductHCL(map[string]string{"custom": `{ confidentiality = "internal" }`})),
			want:   errorText("Invalid Attribute Value Match", `must be none of: ["classification" "confidentiality"], got: "confidentiality"`)},
		{name: "data product/upstream id with a slash", offline: true,
			config: fixed(dataProductHCL(map[string]string{"upstream": `[{ data_product_id = "orders/v1", output_port_id = "orders" }]`})),
			want:   errorText("Invalid id", "entropydata_powerbi_data_product.bad", `"orders/v1" may only contain letters, digits`)},
		{name: "data product/upstream without port", offline: true,
			config: fixed(dataProductHCL(map[string]string{"upstream": `[{ data_product_id = "snowflake-orders" }]`})),
			want:   errorText("Incorrect attribute value type", `attribute "output_port_id" is required`)},
		{name: "data product/output port set", offline: true,
			config: fixed(dataProductHCL(map[string]string{"output_port": `{ id = "semantic-model", name = "Revenue", tables = {} }`})),
			want:   errorText("Invalid Configuration for Read-Only Attribute", "output_port")},
		{name: "data product/no owner team", offline: true,
			config: fixed(dataProductHCL(map[string]string{"owner_team": ""})),
			want:   errorText("Missing required argument", `The argument "owner_team" is required`)},
		{name: "data product/workspace as asset",
			config: fixed(dataProductHCL(map[string]string{"asset_id": fmt.Sprintf("%q", entropydata.PowerBIAssetID(tenant.DemoWorkspaceFinance))})),
			want:   errorText("Wrong kind of Power BI asset", "is a Power BI workspace, not a Power BI semantic model")},
		{name: "data product/model the principal cannot see",
			config: fixed(dataProductHCL(map[string]string{"asset_id": fmt.Sprintf("%q", entropydata.PowerBIAssetID(tenant.DemoDatasetHeadcount))})),
			want:   errorText("Power BI asset not found", entropydata.PowerBIAssetID(tenant.DemoDatasetHeadcount))},
		{name: "data product/upstream port of another product",
			config: fixed(dataProductHCL(map[string]string{"upstream": `[{ data_product_id = "databricks-customers", output_port_id = "orders" }]`})),
			want:   errorText("Unknown upstream output port", `The data product "databricks-customers" has no output port "orders"; it has the output ports "customers"`)},
		{name: "data product/id taken", apply: true,
			config: fixed(dataProductHCL(map[string]string{"id": `"snowflake-orders"`})),
			want:   errorText("Data product already exists", `Entropy Data already has a data product with id "snowflake-orders"`, "Import it")},

		// entropydata_powerbi_integration_runs
		{name: "runs/limit 0", offline: true,
			config: fixed(`
data "entropydata_powerbi_integration_runs" "bad" {
  integration = "finance"
  limit       = 0
}
`),
			want: errorText("Invalid Attribute Value", "limit value must be between 1 and 200, got: 0")},
		{name: "runs/lower-case status", offline: true,
			config: fixed(`
data "entropydata_powerbi_integration_runs" "bad" {
  integration = "finance"
  status      = "success"
}
`),
			want: errorText("Invalid Attribute Value Match", `status value must be one of: ["RUNNING" "SUCCESS" "FAILED" "CANCELLED"], got: "success"`)},
		{name: "runs/integration name instead of id", offline: true,
			config: fixed(`
data "entropydata_powerbi_integration_runs" "bad" {
  integration = "Finance Power BI"
}
`),
			want: errorText("Invalid id", "data.entropydata_powerbi_integration_runs.bad", `"Finance Power BI" may only contain letters`)},
		{name: "runs/unknown integration",
			config: fixed(`
data "entropydata_powerbi_integration_runs" "bad" {
  integration = "no-such-integration"
}
`),
			want: errorText("Unknown integration", `Entropy Data has no integration with external id "no-such-integration"`)},

		// entropydata_powerbi_semantic_models and entropydata_powerbi_semantic_model
		{name: "semantic models/GUID in braces", offline: true,
			config: fixed(fmt.Sprintf(`
data "entropydata_powerbi_semantic_models" "bad" {
  workspace = "{%s}"
}
`, tenant.DemoWorkspaceFinance)),
			want: errorText("Invalid filter pattern", "remove the braces: a GUID pattern is written as "+tenant.DemoWorkspaceFinance)},
		{name: "semantic models/trailing space", offline: true,
			config: fixed(`
data "entropydata_powerbi_semantic_models" "bad" {
  name = "Revenue "
}
`),
			want: errorText("Invalid filter pattern", "it ends with whitespace")},
		{name: "semantic model/id and integration", offline: true,
			config: fixed(fmt.Sprintf(`
data "entropydata_powerbi_semantic_model" "bad" {
  id          = %q
  integration = "finance"
}
`, revenueModel)),
			want: errorText("Invalid Attribute Combination", `These attributes cannot be configured together: [id,integration]`)},
		{name: "semantic model/model the principal cannot see",
			config: fixed(`
data "entropydata_powerbi_semantic_model" "bad" {
  name = "Headcount"
}
`),
			want: errorText("No matching Power BI semantic model", `"Headcount"`)},
		{name: "semantic model/table id",
			config: fixed(fmt.Sprintf(`
data "entropydata_powerbi_semantic_model" "bad" {
  id = %q
}
`, entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, "Sales"))),
			want: errorText("Not a Power BI semantic model", "is a Power BI table")},

		// entropydata_powerbi_reports and entropydata_powerbi_report
		{name: "reports/empty name", offline: true,
			config: fixed(`
data "entropydata_powerbi_reports" "bad" {
  name = ""
}
`),
			want: errorText("Invalid filter pattern", `it is empty; use "*" to match every name`)},
		{name: "reports/blank workspace", offline: true,
			config: fixed(`
data "entropydata_powerbi_reports" "bad" {
  workspace = "   "
}
`),
			want: errorText("Invalid filter pattern", "it contains only whitespace")},
		{name: "report/neither id nor name", offline: true,
			config: fixed(`
data "entropydata_powerbi_report" "bad" {
  workspace = "Finance"
}
`),
			want: errorText("Missing Attribute Configuration", "data.entropydata_powerbi_report.bad", "Exactly one of these attributes must be configured: [id,name]")},
		{name: "report/several match",
			config: fixed(`
data "entropydata_powerbi_report" "bad" {
  name      = "*"
  workspace = "Finance"
}
`),
			want: errorText("Several Power BI reports match", "Monthly Close Pack")},

		// entropydata_powerbi_filter_preview
		{name: "filter preview/domain as tenant id", offline: true,
			config: fixed(previewHCL(map[string]string{"tenant_id": fmt.Sprintf("%q", tenant.DemoTenantDomain)})),
			want:   errorText("Invalid tenant_id", `"`+tenant.DemoTenantDomain+`" is not a GUID`)},
		{name: "filter preview/limit too high", offline: true,
			config: fixed(previewHCL(map[string]string{"limit": "5001"})),
			want:   errorText("Invalid Attribute Value", "limit value must be between 1 and 5000, got: 5001")},
		{name: "filter preview/dash in variable name", offline: true,
			config: fixed(previewHCL(map[string]string{"client_secret_env": `"POWERBI-SECRET"`})),
			want:   errorText("Invalid environment variable name", `"POWERBI-SECRET" is not an environment variable name`)},
		{name: "filter preview/tab in pattern", offline: true,
			config: fixed(previewHCL(map[string]string{"filters": `{ workspaces = { include = ["Fin\tance"] } }`})),
			want:   errorText("Invalid filter pattern", "control character U+0009")},
		{name: "filter preview/secret variable not set", offline: true,
			config: fixed(previewHCL(map[string]string{"client_secret_env": `"` + badInputUnsetEnv + `"`})),
			want:   errorText("Client secret not set", "The environment variable "+badInputUnsetEnv+" is not set or empty")},
		{name: "filter preview/wrong secret",
			config: fixed(previewHCL(nil)),
			want:   errorText("Could not preview the Power BI filters", "AADSTS7000215")},
	}
}

func TestAccBadInputCatalogue(t *testing.T) {
	acctest.PreCheck(t)
	// The provider falls back to these; the cases must not.
	t.Setenv(provider.EnvAPIKey, "")
	t.Setenv(provider.EnvHost, "")
	t.Setenv(badInputSecretEnv, "sbx8Q~Not-The-Secret")
	t.Setenv(badInputUnsetEnv, "")

	cases := badInputCases()
	seen := map[string]string{}
	offline := 0
	for _, tc := range cases {
		if tc.want != nil {
			if other, dup := seen[tc.want.String()]; dup {
				t.Fatalf("cases %q and %q expect the same error text", other, tc.name)
			}
			seen[tc.want.String()] = tc.name
		}
		if tc.offline {
			offline++
		}
	}
	t.Logf("%d bad inputs, %d of them caught offline", len(cases), offline)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := badInputEnv{sb: acctest.StartSandbox(t, sandbox.Options{})}
			if !tc.offline {
				e.imported = acctest.Ingest(t, e.sb)
			}
			want := tc.want
			if tc.wantFor != nil {
				want = tc.wantFor(e)
			}
			providerHCL := acctest.ProviderConfig(e.sb)
			if tc.provider != nil {
				providerHCL = tc.provider(e)
			}
			before := e.sb.Faults.Total()
			panics := &panicRecorder{}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: panics.wrap(acctest.ProviderFactories(e.sb)),
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps: []resource.TestStep{{
					Config:      providerHCL + tc.config(e),
					PlanOnly:    !tc.apply,
					ExpectError: want,
				}},
			})
			if p := panics.list(); len(p) > 0 {
				t.Errorf("the provider panicked: %v", p)
			}
			requests := e.sb.Faults.Total() - before
			switch {
			case tc.offline && requests != 0:
				t.Errorf("a mistake knowable offline reached the network: %d requests (%v)", requests, e.sb.Faults.Counts())
			case !tc.offline && requests == 0:
				t.Errorf("the case is marked online but made no request; mark it offline")
			}
			if tc.apply {
				if ids := e.sb.API.DataProductIDs(); len(ids) != 2 { // the seeded source products
					t.Errorf("the failed apply left data products behind: %v", ids)
				}
				if n := len(e.sb.API.Integrations()); n != 1 {
					t.Errorf("the failed apply left %d integrations, want only the import's", n)
				}
			}
		})
	}
}

// panicRecorder wraps the provider server so that a panic in an RPC is
// recorded and answered with an error, rather than killing the test binary.
type panicRecorder struct {
	mu     sync.Mutex
	panics []string
}

func (r *panicRecorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.panics...)
}

func (r *panicRecorder) wrap(factories map[string]func() (tfprotov6.ProviderServer, error)) map[string]func() (tfprotov6.ProviderServer, error) {
	out := map[string]func() (tfprotov6.ProviderServer, error){}
	for name, f := range factories {
		out[name] = func() (tfprotov6.ProviderServer, error) {
			s, err := f()
			if err != nil {
				return nil, err
			}
			return recovering{ProviderServer: s, r: r}, nil
		}
	}
	return out
}

// guard runs one RPC, turning a panic into a recorded error.
func guard[T any](r *panicRecorder, rpc string, call func() (T, error)) (resp T, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.mu.Lock()
			r.panics = append(r.panics, fmt.Sprintf("%s: %v", rpc, p))
			r.mu.Unlock()
			err = fmt.Errorf("provider panicked in %s: %v", rpc, p)
		}
	}()
	return call()
}

// recovering guards the RPCs that handle user configuration; the others
// are passed through by the embedded server.
type recovering struct {
	tfprotov6.ProviderServer
	r *panicRecorder
}

func (s recovering) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return guard(s.r, "ValidateProviderConfig", func() (*tfprotov6.ValidateProviderConfigResponse, error) {
		return s.ProviderServer.ValidateProviderConfig(ctx, req)
	})
}

func (s recovering) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return guard(s.r, "ConfigureProvider", func() (*tfprotov6.ConfigureProviderResponse, error) {
		return s.ProviderServer.ConfigureProvider(ctx, req)
	})
}

func (s recovering) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return guard(s.r, "ValidateResourceConfig", func() (*tfprotov6.ValidateResourceConfigResponse, error) {
		return s.ProviderServer.ValidateResourceConfig(ctx, req)
	})
}

func (s recovering) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return guard(s.r, "PlanResourceChange", func() (*tfprotov6.PlanResourceChangeResponse, error) {
		return s.ProviderServer.PlanResourceChange(ctx, req)
	})
}

func (s recovering) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return guard(s.r, "ApplyResourceChange", func() (*tfprotov6.ApplyResourceChangeResponse, error) {
		return s.ProviderServer.ApplyResourceChange(ctx, req)
	})
}

func (s recovering) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return guard(s.r, "ReadResource", func() (*tfprotov6.ReadResourceResponse, error) {
		return s.ProviderServer.ReadResource(ctx, req)
	})
}

func (s recovering) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return guard(s.r, "ValidateDataResourceConfig", func() (*tfprotov6.ValidateDataResourceConfigResponse, error) {
		return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
	})
}

func (s recovering) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return guard(s.r, "ReadDataSource", func() (*tfprotov6.ReadDataSourceResponse, error) {
		return s.ProviderServer.ReadDataSource(ctx, req)
	})
}

// The recorder itself: a panicking RPC becomes an error and is recorded.
func TestPanicRecorder(t *testing.T) {
	r := &panicRecorder{}
	s := recovering{ProviderServer: panicky{}, r: r}
	if _, err := s.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{}); err == nil {
		t.Fatal("a panic in ValidateResourceConfig did not become an error")
	}
	if got := r.list(); len(got) != 1 || !strings.Contains(got[0], "ValidateResourceConfig: boom") {
		t.Fatalf("recorded %v", got)
	}
}

type panicky struct{ tfprotov6.ProviderServer }

func (panicky) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	panic("boom")
}
