package dataproduct_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

// timeouts bound an operation that waits: here the client would wait a
// minute per retry, as the throttling server's Retry-After asks; create
// gives up when timeouts.create has passed, and succeeds once the server
// answers.
func TestAccDataProduct_timeouts(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("timeouts")
	cfg := acctest.ProviderConfig(sb) + dataProductHCL("report", id, "report", monthlyClosePack, `
  title      = "Monthly Close Pack"
  owner_team = "finance"
  timeouts   = { create = "3s", update = "5m", delete = "5m" }
`)
	var fault []int
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		CheckDestroy:             checkDestroyed(sb, id),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					ids, err := sb.Faults.AddSpec("PUT /api/dataproducts 429 retry-after=60s surface=entropydata")
					if err != nil {
						t.Fatal(err)
					}
					fault = ids
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)HTTP 429.*would pass the\s+context deadline`),
			},
			{
				PreConfig: func() {
					for _, f := range fault {
						sb.Faults.Remove(f)
					}
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr("report"), tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("3s")),
				},
			},
		},
	})
}
