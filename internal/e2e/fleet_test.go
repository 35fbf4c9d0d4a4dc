package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// A fleet is the configuration the reliability tests apply: one
// integration and n data products on the demo tenant's imported semantic
// models and reports, with lineage. Every data product has exactly one
// upstream link, so the sandbox must end up with exactly one live access
// agreement per data product:
//
//   - a semantic model data product consumes Snowflake's orders port;
//   - a report data product consumes the output port of the (first) data
//     product built on its report's semantic model, by reference, so
//     Terraform creates the model's product first and destroys it last;
//     a paginated report without a model consumes Databricks' customers.
//
// The demo tenant has 8 semantic models and 11 reports the demo principal
// can see, fewer than the 30 data products the fault test needs, so the
// fleet cycles through them: models first, then reports, then again. Two
// data products on one asset are allowed (say a team's product and a
// certified one).
type fleet struct {
	integration string // external id of the integration in the configuration
	imported    string // external id of the integration that imported the assets
	products    []fleetProduct
}

type fleetProduct struct {
	name     string // resource name
	id       string // data product id
	typ      string // semantic_model or report
	assetID  string
	title    string
	owner    string
	upstream string // HCL of the upstream attribute
	// consumes is the upstream data product id, or "" when it is the
	// configuration's own model product (known after apply).
	consumes string
	model    string // for a report with a model: resource name of the model's product
}

var fleetTeams = []string{"finance", "sales", "marketing"}

// importDemoTenant imports every workspace the demo principal can see
// through an integration made directly in the sandbox (no faults are
// installed yet), and returns its external id.
func importDemoTenant(t *testing.T, sb *sandbox.Sandbox) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const id = "demo-import"
	if _, err := sb.Ingest(ctx, id, "finance", powerbi.Filters{}); err != nil {
		t.Fatalf("import the demo tenant: %v", err)
	}
	return id
}

// newFleet plans n data products named prefix-NN on what imported brought in.
func newFleet(t *testing.T, sb *sandbox.Sandbox, imported, prefix string, n int) *fleet {
	t.Helper()
	type asset struct{ id, name, model string }
	var models, reports []asset
	for _, a := range sb.API.Assets() {
		if a.Custom[entropydata.CustomIntegration] != imported {
			continue
		}
		switch a.Info.Type {
		case entropydata.AssetTypePowerBISemanticModel:
			models = append(models, asset{id: a.ID, name: a.Info.Name})
		case entropydata.AssetTypePowerBIReport:
			r := asset{id: a.ID, name: a.Info.Name}
			for _, rel := range a.Relationships {
				if rel.RelationshipType == entropydata.RelationshipUses {
					r.model = rel.AssetID
				}
			}
			reports = append(reports, r)
		}
	}
	byName := func(a, b asset) int { return strings.Compare(a.name+a.id, b.name+b.id) }
	slices.SortFunc(models, byName)
	slices.SortFunc(reports, byName)
	if len(models) != 8 || len(reports) != 11 {
		t.Fatalf("the demo tenant import has %d semantic models and %d reports, want 8 and 11", len(models), len(reports))
	}

	f := &fleet{integration: prefix + "-powerbi", imported: imported}
	modelProduct := map[string]string{} // model asset id -> resource name of its first product
	all := append(append([]asset{}, models...), reports...)
	for i := 0; i < n; i++ {
		a := all[i%len(all)]
		p := fleetProduct{
			name:    fmt.Sprintf("dp%02d", i+1),
			id:      fmt.Sprintf("%s-%02d", prefix, i+1),
			assetID: a.id,
			title:   fmt.Sprintf("%s %02d (%s)", a.name, i+1, prefix),
			owner:   fleetTeams[i%len(fleetTeams)],
		}
		switch {
		case i%len(all) < len(models):
			p.typ = "semantic_model"
			p.consumes = sandbox.SourceOrdersProduct
			p.upstream = fmt.Sprintf(`[{ data_product_id = %q, output_port_id = %q }]`, sandbox.SourceOrdersProduct, sandbox.SourceOrdersPort)
			if _, ok := modelProduct[a.id]; !ok {
				modelProduct[a.id] = p.name
			}
		case a.model == "":
			p.typ = "report"
			p.consumes = sandbox.SourceCustomersProduct
			p.upstream = fmt.Sprintf(`[{ data_product_id = %q, output_port_id = %q }]`, sandbox.SourceCustomersProduct, sandbox.SourceCustomersPort)
		default:
			p.typ = "report"
			p.model = modelProduct[a.model]
			if p.model == "" {
				t.Fatalf("report %s uses model %s, which has no data product in the fleet (n=%d is too small)", a.name, a.model, n)
			}
			ref := "entropydata_powerbi_data_product." + p.model
			p.upstream = fmt.Sprintf(`[{ data_product_id = %s.id, output_port_id = %s.output_port.id }]`, ref, ref)
		}
		f.products = append(f.products, p)
	}
	for i := range f.products {
		if m := f.products[i].model; m != "" {
			f.products[i].consumes = f.product(m).id
		}
	}
	return f
}

func (f *fleet) product(name string) *fleetProduct {
	for i := range f.products {
		if f.products[i].name == name {
			return &f.products[i]
		}
	}
	return nil
}

// config renders the fleet; providerExtra lines go inside the provider
// block, which always points at sb (never at a default host).
func (f *fleet) config(sb *sandbox.Sandbox, providerExtra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}

provider "entropydata" {
  host                 = %q
  api_key              = %q
  entra_authority_host = %q
  powerbi_endpoint     = %q
  %s
}

variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "entropydata_powerbi_integration" "fleet" {
  external_id = %q
  name        = "Fleet %s"
  owner_team  = "finance"
  credentials = {
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = var.secret
    client_secret_wo_version = 1
  }
  filters  = { workspaces = { include = ["Finance*", "Sales*"], exclude = ["*Sandbox*"] } }
  schedule = { preset = "daily" }
}
`, sb.APIURL, sb.APIKey, sb.AuthorityHost, sb.PowerBIEndpoint, strings.Join(providerExtra, "\n  "),
		f.integration, f.integration, tenant.DemoTenantID, tenant.DemoClientID)
	for _, p := range f.products {
		fmt.Fprintf(&b, `
resource "entropydata_powerbi_data_product" %q {
  id         = %q
  type       = %q
  asset_id   = %q
  title      = %q
  owner_team = %q
  tags       = ["fleet"]
  upstream   = %s
}
`, p.name, p.id, p.typ, p.assetID, p.title, p.owner, p.upstream)
	}
	return b.String()
}

// ids are the fleet's data product ids, sorted.
func (f *fleet) ids() []string {
	var ids []string
	for _, p := range f.products {
		ids = append(ids, p.id)
	}
	sort.Strings(ids)
	return ids
}

// fleetWorkspace is a Terraform working directory holding the fleet's
// configuration, with the client secret in the environment as in CI.
func fleetWorkspace(t *testing.T, sb *sandbox.Sandbox) *workspace {
	t.Helper()
	w := newWorkspace(t, sb)
	w.setEnv("TF_VAR_secret", tenant.DemoClientSecret)
	return w
}

// stateResource is a resource of `terraform show -json`.
type stateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Tainted bool           `json:"tainted"`
	Values  map[string]any `json:"values"`
}

// showState returns the resources of the state, by address.
func showState(t *testing.T, w *workspace) map[string]stateResource {
	t.Helper()
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(w.terraform("show", "-json")), &doc); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	out := map[string]stateResource{}
	for _, r := range doc.Values.RootModule.Resources {
		out[r.Address] = r
	}
	return out
}

// stateFileStatuses reads the status of every resource instance from the
// state file itself ("tainted", or "" for a healthy one), by address.
func stateFileStatuses(t *testing.T, w *workspace) map[string]string {
	t.Helper()
	var doc struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				Status string `json:"status"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(w.read("terraform.tfstate")), &doc); err != nil {
		t.Fatalf("state file: %v", err)
	}
	out := map[string]string{}
	for _, r := range doc.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, in := range r.Instances {
			out[r.Type+"."+r.Name] = in.Status
		}
	}
	return out
}

// storedProducts returns the sandbox's data products other than the seeded
// source products, decoded, by id.
func storedProducts(t *testing.T, sb *sandbox.Sandbox) map[string]entropydata.DataProduct {
	t.Helper()
	out := map[string]entropydata.DataProduct{}
	for _, id := range sb.API.DataProductIDs() {
		if id == sandbox.SourceOrdersProduct || id == sandbox.SourceCustomersProduct {
			continue
		}
		body, ok := sb.API.DataProductJSON(id)
		if !ok {
			continue // deleted just now
		}
		var dp entropydata.DataProduct
		if err := json.Unmarshal(body, &dp); err != nil {
			t.Fatalf("stored data product %s: %v", id, err)
		}
		out[id] = dp
	}
	return out
}

// liveAgreement: requested, or approved and not canceled (ended).
func liveAgreement(status, endDate string) bool {
	today := time.Now().UTC().Format(time.DateOnly)
	return status == entropydata.AccessRequested || (status == entropydata.AccessApproved && (endDate == "" || endDate > today))
}

// verifyFleet checks that the state and the sandbox agree exactly: the
// state holds the fleet's integration and data products, none tainted; the
// sandbox holds those data products (same title, owner, type and asset)
// and no others; each has exactly one live, approved access agreement, to
// the upstream port the configuration names, recorded in the state; and
// the only integrations are the fleet's and the import's.
func verifyFleet(t *testing.T, sb *sandbox.Sandbox, w *workspace, f *fleet) {
	t.Helper()
	state := showState(t, w)
	if _, ok := state["entropydata_powerbi_integration.fleet"]; !ok {
		t.Errorf("the integration is not in the state")
	}
	var integrations []string
	for _, rec := range sb.API.Integrations() {
		integrations = append(integrations, rec.ExternalID)
	}
	sort.Strings(integrations)
	if want := []string{f.imported, f.integration}; !slices.Equal(integrations, sorted(want)) {
		t.Errorf("the sandbox has the integrations %v, want %v", integrations, sorted(want))
	}

	stored := storedProducts(t, sb)
	var storedIDs, stateIDs []string
	for id := range stored {
		storedIDs = append(storedIDs, id)
	}
	sort.Strings(storedIDs)
	agreementOf := map[string]string{} // access id -> data product id, from the state
	for _, p := range f.products {
		r, ok := state["entropydata_powerbi_data_product."+p.name]
		if !ok {
			t.Errorf("data product %s is not in the state", p.id)
			continue
		}
		if r.Tainted {
			t.Errorf("data product %s is tainted in the state", p.id)
		}
		stateIDs = append(stateIDs, str(r.Values["id"]))
		dp, ok := stored[p.id]
		switch {
		case !ok:
			t.Errorf("data product %s is in the state but not in the sandbox", p.id)
		case dp.Info.Title != str(r.Values["title"]) || dp.Info.Title != p.title:
			t.Errorf("data product %s: title %q in the sandbox, %q in the state, %q in the configuration", p.id, dp.Info.Title, r.Values["title"], p.title)
		case dp.Info.Owner != str(r.Values["owner_team"]) || dp.Info.Owner != p.owner:
			t.Errorf("data product %s: owner %q in the sandbox, %q in the state, %q in the configuration", p.id, dp.Info.Owner, r.Values["owner_team"], p.owner)
		case dp.Info.Archetype != map[string]string{"semantic_model": entropydata.DataProductTypePowerBISemanticModel, "report": entropydata.DataProductTypePowerBIReport}[p.typ]:
			t.Errorf("data product %s has the type %q in the sandbox", p.id, dp.Info.Archetype)
		}
		up, _ := r.Values["upstream"].([]any)
		if len(up) != 1 {
			t.Errorf("data product %s has %d upstream entries in the state, want 1", p.id, len(up))
			continue
		}
		e, _ := up[0].(map[string]any)
		if str(e["data_product_id"]) != p.consumes || str(e["status"]) != entropydata.AccessApproved {
			t.Errorf("data product %s: upstream %v in the state, want an approved link to %s", p.id, e, p.consumes)
		}
		agreementOf[str(e["access_id"])] = p.id
	}
	sort.Strings(stateIDs)
	if !slices.Equal(storedIDs, stateIDs) || !slices.Equal(stateIDs, f.ids()) {
		t.Errorf("data products\n  in the sandbox: %v\n  in the state:   %v\n  configured:     %v", storedIDs, stateIDs, f.ids())
	}

	// Agreements: one live one per data product, the one in the state.
	live := map[string]int{}
	for _, a := range sb.API.Accesses() {
		consumer := a.Consumer.DataProductID
		if _, ours := stored[consumer]; !ours || !liveAgreement(a.Info.Status, a.Info.EndDate) {
			continue
		}
		live[consumer]++
		switch {
		case a.Info.Status != entropydata.AccessApproved:
			t.Errorf("agreement %s of %s is %s, want approved", a.ID, consumer, a.Info.Status)
		case agreementOf[a.ID] != consumer:
			t.Errorf("agreement %s of %s is live in the sandbox but not recorded in the state", a.ID, consumer)
		}
	}
	for _, p := range f.products {
		if live[p.id] != 1 {
			t.Errorf("data product %s has %d live agreements in the sandbox, want 1", p.id, live[p.id])
		}
	}
}

// expectEmptyPlan fails unless a plan finds nothing to change.
func expectEmptyPlan(t *testing.T, w *workspace, args ...string) {
	t.Helper()
	out, err := w.timedTry(append([]string{"plan", "-input=false", "-detailed-exitcode"}, args...)...)
	if err != nil {
		t.Errorf("the plan after the apply is not empty (%v):\n%s", err, tail(out, 4000))
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// matching matches output that contains the texts in order, however
// Terraform wraps its lines.
func matching(texts ...string) *regexp.Regexp {
	quoted := make([]string, len(texts))
	for i, text := range texts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// noCrash fails when Terraform's output shows the provider crashed.
func noCrash(t *testing.T, out string) {
	t.Helper()
	for _, sign := range []string{"panic:", "plugin crashed", "Plugin did not respond", "goroutine "} {
		if strings.Contains(out, sign) {
			t.Errorf("the output shows a provider crash (%q):\n%s", sign, tail(out, 4000))
			return
		}
	}
}

// timed runs a terraform command, logging how long it took.
func (w *workspace) timed(args ...string) string {
	w.t.Helper()
	began := time.Now()
	out := w.terraform(args...)
	w.t.Logf("terraform %s: %s", strings.Join(args, " "), time.Since(began).Round(10*time.Millisecond))
	return out
}

// timedTry is try with the time logged.
func (w *workspace) timedTry(args ...string) (string, error) {
	w.t.Helper()
	began := time.Now()
	out, err := w.try(args...)
	w.t.Logf("terraform %s: %s", strings.Join(args, " "), time.Since(began).Round(10*time.Millisecond))
	return out, err
}
