package e2e

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/faults"
)

// The fault tests run the real provider binary through the terraform CLI,
// not the in-process acceptance harness, because what they prove is only
// visible there: the state file Terraform writes after a failed apply
// (tainted instances), the exact error text a user reads, and the client's
// retries across several provider processes (refresh, plan, apply).

// flakyAPI disturbs about a third of the Entropy Data API's requests, on
// every route: 15% are slowed down by 100ms, 10% answered 429 with
// Retry-After: 1, and 12% answered 503 (1 - 0.85*0.90*0.88 ≈ 0.33). Each
// rule draws from its own seeded stream, so the sequence of faults is the
// same on every run; which request gets which fault depends on the order in
// which Terraform's parallel walk sends them. Latency comes first: a rule
// with a status ends the evaluation.
const flakyAPI = `
* /api/ latency=100ms p=0.15 seed=801 surface=entropydata
* /api/ 429 retry-after=1s p=0.10 seed=802 surface=entropydata
* /api/ 503 p=0.12 seed=803 surface=entropydata
`

// faultyMaxRetries is the retry budget for the flaky apply. About 21% of
// attempts fail with a retryable status, so with the default of 4 retries a
// request fails for good with probability 0.21^5 ≈ 4e-4, a few percent over
// the ~800 requests of the run; with 10 retries it is 0.21^11 ≈ 4e-8. The
// point is that every fault is retried correctly, not how many.
const faultyMaxRetries = "max_retries = 10"

func startFaultSandbox(t *testing.T) (*sandbox.Sandbox, string) {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb, importDemoTenant(t, sb)
}

// With a third of the Entropy Data API's requests slowed down or failing
// with 429 and 503, an apply of an integration and 30 data products with
// lineage succeeds, the state matches the sandbox exactly (no data product,
// agreement or integration missing, extra or duplicated), and a plan, still
// against the flaky API, is empty.
func TestFaults_retriedApplyConverges(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	t.Parallel()
	sb, imported := startFaultSandbox(t)
	f := newFleet(t, sb, imported, "flaky", 30)
	w := fleetWorkspace(t, sb)
	w.write("main.tf", f.config(sb, faultyMaxRetries))

	if _, err := sb.Faults.AddSpec(flakyAPI); err != nil {
		t.Fatal(err)
	}
	out := w.timed("apply", "-auto-approve", "-input=false", "-parallelism=10")
	noCrash(t, out)
	if want := fmt.Sprintf("Apply complete! Resources: %d added", len(f.products)+1); !strings.Contains(out, want) {
		t.Fatalf("want %q in the output:\n%s", want, tail(out, 4000))
	}
	injected := map[int]int{}
	for _, rs := range sb.Faults.RuleStats() {
		injected[rs.Rule.Status] += rs.Injected
		t.Logf("rule %q: matched %d, fired %d", rs.Rule.String(), rs.Matched, rs.Injected)
	}
	logTopRoutes(t, "flaky apply", sb.Faults.Counts())
	if injected[429] < 10 || injected[503] < 10 || injected[0] < 10 {
		t.Fatalf("too few faults to prove anything: %v", injected)
	}

	verifyFleet(t, sb, w, f)
	expectEmptyPlan(t, w) // still flaky
	sb.Faults.Clear()
	verifyFleet(t, sb, w, f)
}

// With retries turned off, faults fail the apply, and each error names the
// operation, the object and the HTTP status. What was saved before a
// failure is in the state: a data product whose access agreement could not
// be requested or approved is there, tainted, not lost. The next apply,
// with the API healthy and retries on, replaces the tainted data products
// and creates the missing ones: nothing is orphaned or duplicated, and the
// plan after it is empty.
func TestFaults_noRetriesFailsClearlyThenConverges(t *testing.T) {
	requireVersion(t, "1.11.0", "write-only client_secret_wo")
	t.Parallel()
	sb, imported := startFaultSandbox(t)
	f := newFleet(t, sb, imported, "brittle", 30)
	w := fleetWorkspace(t, sb)

	// Faults on the writes only, so the plan succeeds and the apply fails
	// half-way: some data products are never saved, three are saved but
	// their agreement's approval fails, some are saved but their agreement
	// cannot even be requested. The seeded streams fire on the 6th and 9th
	// save and the 4th and 9th request (and later ones, depending on how
	// many dependents the failures skip), so each kind of failure happens
	// on every run.
	rules := map[string]faults.Rule{
		"save data product": {Surface: faults.SurfaceEntropyData, Method: "PUT", PathPrefix: "/api/dataproducts/", Status: 503, Probability: 0.2, Seed: 901},
		"request agreement": {Surface: faults.SurfaceEntropyData, Method: "PUT", PathPrefix: "/api/access/", Status: 429, RetryAfter: time.Second, Probability: 0.15, Seed: 902},
		"approve agreement": {Surface: faults.SurfaceEntropyData, Method: "POST", PathPrefix: "/api/access/*/approve", Status: 503, Times: 3},
	}
	ruleID := map[string]int{}
	for name, r := range rules {
		ruleID[name] = sb.Faults.Add(r)
	}
	w.write("main.tf", f.config(sb, "max_retries = 0"))
	out, err := w.timedTry("apply", "-auto-approve", "-input=false", "-parallelism=10")
	noCrash(t, out)
	if err == nil {
		t.Fatalf("the apply succeeded although writes failed and retries were off:\n%s", tail(out, 4000))
	}
	fired := map[string]int{}
	for _, rs := range sb.Faults.RuleStats() {
		for name, id := range ruleID {
			if rs.ID == id {
				fired[name] = rs.Injected
			}
		}
	}
	t.Logf("faults fired: %v", fired)
	if os.Getenv("E2E_DEBUG") != "" {
		t.Log(out)
	}
	if fired["save data product"] == 0 || fired["approve agreement"] != 3 {
		t.Fatalf("the faults did not fire as planned: %v", fired)
	}

	// Each error names the operation, the object and the status.
	for what, re := range map[string]*regexp.Regexp{
		"save": matching("Error: Could not save the data product",
			`create or update data product "brittle-`, `": HTTP 503 Service Unavailable`, "temporarily unavailable"),
		"approve": matching("Error: Could not approve the access agreement", `approve access "brittle-`, `": HTTP 503 Service Unavailable`),
	} {
		if !re.MatchString(out) {
			t.Errorf("no %s error matching %s in the output:\n%s", what, re, tail(out, 6000))
		}
	}
	if fired["request agreement"] > 0 {
		re := matching("Error: Could not create the access agreement for upstream", `create or update access "brittle-`, `": HTTP 429 Too Many Requests`)
		if !re.MatchString(out) {
			t.Errorf("no agreement error matching %s in the output:\n%s", re, tail(out, 6000))
		}
	}
	blocks := errorBlocks(out)
	if len(blocks) < fired["save data product"]+fired["approve agreement"] {
		t.Errorf("%d errors reported for %v faults", len(blocks), fired)
	}
	for _, b := range blocks {
		if !apiErrorText.MatchString(b) {
			t.Errorf("an error that does not name the operation, the object and the status:\n%s", b)
		}
	}

	// The state: every data product the sandbox holds is in it; those whose
	// agreement failed are tainted, the others complete.
	statuses := stateFileStatuses(t, w)
	stored := storedProducts(t, sb)
	var tainted []string
	for _, p := range f.products {
		status, inState := statuses["entropydata_powerbi_data_product."+p.name]
		_, inSandbox := stored[p.id]
		switch {
		case inSandbox && !inState:
			t.Errorf("data product %s was saved but is not in the state (orphaned)", p.id)
		case inState && !inSandbox:
			t.Errorf("data product %s is in the state but was never saved", p.id)
		case status == "tainted":
			tainted = append(tainted, p.id)
		}
	}
	if want := fired["approve agreement"] + fired["request agreement"]; len(tainted) != want {
		t.Errorf("%d data products are tainted in the state file, want %d (one per failed agreement): %v", len(tainted), want, tainted)
	}
	if missing := len(f.products) - len(stored); missing < fired["save data product"] {
		t.Errorf("%d data products are missing, but %d could not be saved", missing, fired["save data product"])
	}
	show := showState(t, w)
	for _, id := range tainted {
		for _, r := range show {
			if r.Type == "entropydata_powerbi_data_product" && str(r.Values["id"]) == id && !r.Tainted {
				t.Errorf("terraform show -json does not mark %s as tainted", r.Address)
			}
		}
	}
	if len(stored) == len(f.products) {
		t.Fatal("every data product was saved; the test would not show recovery")
	}

	// Healthy again, retries on: the next apply converges.
	sb.Faults.Clear()
	w.write("main.tf", f.config(sb))
	out = w.timed("apply", "-auto-approve", "-input=false", "-parallelism=10")
	noCrash(t, out)
	for _, id := range tainted {
		name := ""
		for _, p := range f.products {
			if p.id == id {
				name = p.name
			}
		}
		// Terraform says "is tainted, so must be replaced", OpenTofu "is tainted, so it must be replaced".
		want := regexp.MustCompile(regexp.QuoteMeta("entropydata_powerbi_data_product."+name) + ` is tainted, so (it )?must be replaced`)
		if !want.MatchString(out) {
			t.Errorf("want %q in the apply output", want)
		}
	}
	verifyFleet(t, sb, w, f)
	// Replacing a tainted product withdrew its pending request rather than
	// leaving it behind: the sandbox holds no agreement of the fleet's
	// products besides the live ones.
	live, all := 0, 0
	for _, a := range sb.API.Accesses() {
		if strings.HasPrefix(a.Consumer.DataProductID, "brittle-") {
			all++
			if liveAgreement(a.Info.Status, a.Info.EndDate) {
				live++
			}
		}
	}
	if live != len(f.products) || all != len(f.products) {
		t.Errorf("the sandbox has %d agreements of the fleet (%d live), want %d", all, live, len(f.products))
	}
	expectEmptyPlan(t, w)

	// A destroy that fails says which data products it could not delete:
	// Terraform shows no resource address with errors while destroying. The
	// agreements cannot be read (retries off), so the data products without
	// consumers fail, and the model products wait for their reports.
	sb.Faults.Add(faults.Rule{Surface: faults.SurfaceEntropyData, Method: "GET", PathPrefix: "/api/access", Status: 503})
	w.write("main.tf", f.config(sb, "max_retries = 0"))
	out, err = w.timedTry("destroy", "-auto-approve", "-input=false", "-refresh=false", "-parallelism=10")
	noCrash(t, out)
	blocks = errorBlocks(out)
	if err == nil || len(blocks) == 0 {
		t.Fatalf("the destroy succeeded although the agreements could not be read:\n%s", tail(out, 4000))
	}
	named := regexp.MustCompile(`^Error: Could not [^\n]* the data product "brittle-\d\d"\n`)
	for _, b := range blocks {
		if !named.MatchString(b) || !apiStatusText.MatchString(b) {
			t.Errorf("a destroy error that does not name the data product, the operation and the status:\n%s", b)
		}
	}

	// Healthy again: the destroy completes and leaves nothing behind.
	sb.Faults.Clear()
	w.write("main.tf", f.config(sb))
	noCrash(t, w.timed("destroy", "-auto-approve", "-input=false", "-parallelism=10"))
	if left := storedProducts(t, sb); len(left) != 0 {
		t.Errorf("%d data products left after the destroy", len(left))
	}
	for _, a := range sb.API.Accesses() {
		if strings.HasPrefix(a.Consumer.DataProductID, "brittle-") && liveAgreement(a.Info.Status, a.Info.EndDate) {
			t.Errorf("agreement %s of %s is still live after the destroy", a.ID, a.Consumer.DataProductID)
		}
	}
	if _, ok := sb.API.Integration(f.integration); ok {
		t.Errorf("the integration is still in the sandbox after the destroy")
	}
}

// apiErrorText is how the client words a failed call: the operation, the
// object and the HTTP status.
var apiErrorText = regexp.MustCompile(`[a-z][a-z\s]+\s"[^"]+":\s+HTTP\s+(429\s+Too\s+Many\s+Requests|503\s+Service\s+Unavailable)`)

// apiStatusText is the same for calls that may be about a collection
// ("list access: HTTP 503 ..."), where the summary names the object.
var apiStatusText = regexp.MustCompile(`[a-z][a-z\s]+(\s"[^"]+")?:\s+HTTP\s+(429\s+Too\s+Many\s+Requests|503\s+Service\s+Unavailable)`)

// errorBlocks splits Terraform's output into its error diagnostics.
func errorBlocks(out string) []string {
	var blocks []string
	for _, part := range strings.Split(out, "Error: ")[1:] {
		if i := strings.Index(part, "\nWarning: "); i >= 0 {
			part = part[:i]
		}
		blocks = append(blocks, "Error: "+part)
	}
	return blocks
}
