package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// The scale benchmark behind `make bench`. It is a test so it can reuse the
// end-to-end harness, but it only runs when E2E_SCALE lists the sizes
// (e.g. E2E_SCALE=10,100,500): timings belong in a benchmark, never in
// `make test`.
//
// Against the sandbox's large generated tenant, for each N and each
// configuration (see configs), it applies, plans with no changes, refreshes
// (plan -refresh-only) and destroys; and it does the same with N
// terraform_data resources, the floor any provider pays, alternating with
// it. Every size runs twice: on loopback, and with a fixed delay added to
// every request (E2E_LATENCY), as users meet a real server. Then it reads
// the whole tenant with one unfiltered data source, in both modes.

// Op is one timed operation of a configuration.
type Op struct {
	Seconds      float64 `json:"seconds"`
	FloorSeconds float64 `json:"floor_seconds"`
	// Requests counts the requests to the sandbox (Entropy Data, Power BI
	// and Entra ID) of one run of the operation.
	Requests int `json:"requests"`
	// Provider figures of one run, summed over the provider processes of
	// the command (Terraform starts one per graph walk).
	ProviderCPUSeconds float64 `json:"provider_cpu_seconds"`
	// GC's share of the provider's CPU, both as the Go runtime estimates them.
	GCCPUSeconds      float64 `json:"gc_cpu_seconds"`
	RuntimeCPUSeconds float64 `json:"runtime_cpu_seconds"`
	ProviderMaxRSSMiB float64 `json:"provider_max_rss_mib"`
}

func (o Op) ratio() float64 { return o.Seconds / max(o.FloorSeconds, 0.001) }

func (o Op) gcShare() float64 { return o.GCCPUSeconds / max(o.RuntimeCPUSeconds, 0.001) }

// ScaleResult is one row of the benchmark, as written to results/scale.json.
type ScaleResult struct {
	N      int    `json:"n"`
	Config string `json:"config"`
	Mode   string `json:"mode"`
	Apply  Op     `json:"apply"`
	// Plan is a no-change plan (refresh included), the median of planRepeats.
	Plan Op `json:"plan"`
	// Refresh is a refresh-only plan: every object read, nothing planned.
	Refresh Op `json:"refresh"`
	Destroy Op `json:"destroy"`
	// TopPlanRoutes shows where the requests of the no-change plan went.
	TopPlanRoutes map[string]int `json:"top_plan_routes"`
}

// ReadResult is the unfiltered read of the whole tenant's semantic models.
type ReadResult struct {
	Mode          string `json:"mode"`
	IncludeTables bool   `json:"include_tables"`
	Models        int    `json:"models"`
	Op
}

// configs are the configurations measured at each N:
//   - narrow: the data products' asset ids come from a variable, and two
//     discovery data sources read one workspace (as modules often do);
//   - for_each: the docs' pattern, a for_each over the list data source's
//     semantic_models, each instance reading each.value.
var configs = []string{"narrow", "for_each"}

const (
	modeLoopback = "loopback"
	modeLatency  = "latency"
	// defaultLatency is the delay per request of the latency mode: a nearby
	// cloud API for Entropy Data, Microsoft's for Power BI and Entra ID.
	defaultLatency = "entropydata=40ms,powerbi=100ms,entra=100ms"
)

func TestScaleBenchmark(t *testing.T) {
	spec := os.Getenv("E2E_SCALE")
	if spec == "" {
		t.Skip("set E2E_SCALE=10,100,500 (make bench) to run the scale benchmark, or E2E_SCALE=read for the unfiltered read only")
	}
	var sizes []int
	for _, s := range strings.Split(spec, ",") {
		if s == "read" { // only the unfiltered read
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			t.Fatalf("E2E_SCALE: %q is not a positive number", s)
		}
		sizes = append(sizes, n)
	}
	latency, err := latencyRules(cmp.Or(os.Getenv("E2E_LATENCY"), defaultLatency))
	if err != nil {
		t.Fatalf("E2E_LATENCY: %v", err)
	}
	modes := []string{modeLoopback, modeLatency}
	if m := os.Getenv("E2E_MODES"); m != "" {
		modes = strings.Split(m, ",")
	}
	only := configs
	if c := os.Getenv("E2E_CONFIGS"); c != "" {
		only = strings.Split(c, ",")
	}

	sb, err := sandbox.Start(sandbox.Options{Tenant: tenant.Generate(tenant.GenerateOptions{}), ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := sb.Ingest(ctx, "scale", "finance", powerbi.Filters{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("ingested the large tenant (%d assets) in %s", len(sb.API.Assets()), time.Since(start).Round(time.Millisecond))

	var results []ScaleResult
	var reads []ReadResult
	for _, mode := range modes {
		withLatency(t, sb, mode, latency, func() {
			for _, n := range sizes {
				for _, c := range only {
					results = append(results, runScale(t, sb, mode, c, n))
				}
			}
			if os.Getenv("E2E_SKIP_READ") == "" {
				for _, tables := range []bool{false, true} {
					reads = append(reads, readWholeTenant(t, sb, mode, tables))
				}
			}
		})
	}
	report(t, cmp.Or(os.Getenv("E2E_LATENCY"), defaultLatency), results, reads)
}

// latencyRules turns "entropydata=40ms,powerbi=100ms" into fault rules that
// delay every request of each surface.
func latencyRules(spec string) (string, error) {
	var rules []string
	for _, part := range strings.Split(spec, ",") {
		surface, d, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", fmt.Errorf("%q is not surface=duration", part)
		}
		if _, err := time.ParseDuration(d); err != nil {
			return "", err
		}
		rules = append(rules, fmt.Sprintf("* * latency=%s surface=%s", d, surface))
	}
	return strings.Join(rules, "; "), nil
}

// withLatency runs fn with the mode's delays installed in the sandbox.
func withLatency(t *testing.T, sb *sandbox.Sandbox, mode, rules string, fn func()) {
	t.Helper()
	if mode != modeLatency {
		fn()
		return
	}
	ids, err := sb.Faults.AddSpec(rules)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, id := range ids {
			sb.Faults.Remove(id)
		}
	}()
	fn()
}

// planRepeats is how often each no-change plan is timed; the median counts.
// Plans take seconds, and a shared machine's noise moves a single one by
// more than the margin the plan-time target leaves.
const planRepeats = 3

// bench runs terraform commands in a workspace and measures them.
type bench struct {
	t  *testing.T
	sb *sandbox.Sandbox
}

// measure runs one terraform command and returns its figures.
func (b bench) measure(w *workspace, args ...string) Op {
	b.t.Helper()
	stats := b.t.TempDir()
	w.setEnv(provider.StatsDirEnv, stats)
	before := b.sb.Faults.Total()
	began := time.Now()
	w.terraform(args...)
	op := Op{Seconds: time.Since(began).Seconds(), Requests: b.sb.Faults.Total() - before}
	files, _ := filepath.Glob(filepath.Join(stats, "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		var s provider.ProcessStats
		if err != nil || json.Unmarshal(data, &s) != nil {
			continue
		}
		op.ProviderCPUSeconds += s.CPUSeconds
		op.GCCPUSeconds += s.GCCPUSeconds
		op.RuntimeCPUSeconds += s.RuntimeCPUSeconds
		if !s.Final {
			b.t.Logf("provider process %s did not write its final figures", filepath.Base(f))
		}
		op.ProviderMaxRSSMiB = max(op.ProviderMaxRSSMiB, s.MaxRSSMiB)
	}
	return op
}

func runScale(t *testing.T, sb *sandbox.Sandbox, mode, config string, n int) ScaleResult {
	t.Helper()
	res := ScaleResult{N: n, Config: config, Mode: mode}
	b := bench{t, sb}

	w := newWorkspace(t, sb, "TF_VAR_secret="+tenant.DemoClientSecret)
	switch config {
	case "narrow":
		w.write("main.tf", scaleConfig(n))
		models, err := json.Marshal(modelAssetIDs(sb, n))
		if err != nil {
			t.Fatal(err)
		}
		w.write("models.auto.tfvars.json", `{"models": `+string(models)+`}`)
	case "for_each":
		w.write("main.tf", forEachConfig(n))
	default:
		t.Fatalf("unknown configuration %q", config)
	}
	floor := newWorkspace(t, sb)
	floor.write("main.tf", fmt.Sprintf(`
resource "terraform_data" "floor" {
  for_each = toset([for i in range(%d) : tostring(i)])
  input    = each.key
}
`, n))

	apply := []string{"apply", "-auto-approve", "-input=false", "-parallelism=10"}
	destroy := []string{"destroy", "-auto-approve", "-input=false", "-parallelism=10"}
	floorApply := b.measure(floor, apply...)
	res.Apply = b.measure(w, apply...)
	res.Apply.FloorSeconds = floorApply.Seconds

	// The plans alternate with the floor's, so that a slow spell of the
	// machine weighs on both sides of the ratio.
	var plans []Op
	var floorPlans []float64
	for range planRepeats {
		before := sb.Faults.Counts()
		plans = append(plans, b.measure(w, "plan", "-input=false", "-detailed-exitcode"))
		res.TopPlanRoutes = topRoutes(before, sb.Faults.Counts())
		floorPlans = append(floorPlans, b.measure(floor, "plan", "-input=false").Seconds)
	}
	res.Plan = medianOp(plans)
	res.Plan.FloorSeconds = median(floorPlans)
	res.Refresh = b.measure(w, "plan", "-refresh-only", "-input=false")

	res.Destroy = b.measure(w, destroy...)
	res.Destroy.FloorSeconds = b.measure(floor, destroy...).Seconds
	t.Logf("%s %s N=%d: apply %.1fs (%.2fx), plan %.1fs (%.2fx), destroy %.1fs (%.2fx); plan requests by route: %s",
		mode, config, n, res.Apply.Seconds, res.Apply.ratio(), res.Plan.Seconds, res.Plan.ratio(),
		res.Destroy.Seconds, res.Destroy.ratio(), routesString(res.TopPlanRoutes))
	return res
}

// readWholeTenant plans a configuration with one unfiltered semantic models
// data source, which reads every model of the tenant.
func readWholeTenant(t *testing.T, sb *sandbox.Sandbox, mode string, tables bool) ReadResult {
	t.Helper()
	w := newWorkspace(t, sb)
	w.write("main.tf", fmt.Sprintf(`
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}
data "entropydata_powerbi_semantic_models" "all" {
  include_tables = %t
}
output "models" {
  value = length(data.entropydata_powerbi_semantic_models.all.ids)
}
`, tables))
	op := bench{t, sb}.measure(w, "apply", "-auto-approve", "-input=false")
	var models int
	if err := json.Unmarshal([]byte(w.terraform("output", "-json", "models")), &models); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s unfiltered read (include_tables %t): %d models, %.1fs, %d requests, provider CPU %.1fs (GC %.0f%%), peak %.0f MiB",
		mode, tables, models, op.Seconds, op.Requests, op.ProviderCPUSeconds, 100*op.gcShare(), op.ProviderMaxRSSMiB)
	return ReadResult{Mode: mode, IncludeTables: tables, Models: models, Op: op}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// medianOp is the run of median duration.
func medianOp(ops []Op) Op {
	s := slices.Clone(ops)
	slices.SortFunc(s, func(a, b Op) int {
		switch {
		case a.Seconds < b.Seconds:
			return -1
		case a.Seconds > b.Seconds:
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}

const terraformBlock = `
terraform {
  required_providers {
    entropydata = { source = "entropy-data/entropydata" }
  }
}
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
resource "entropydata_powerbi_integration" "bench" {
  external_id = "bench"
  name        = "Benchmark"
  owner_team  = "finance"
  credentials = {
    tenant_id                = %q
    client_id                = %q
    client_secret_wo         = var.secret
    client_secret_wo_version = 1
  }
  filters  = { workspaces = { include = ["Finance 0*"] } }
  schedule = { preset = "daily" }
}
`

// scaleConfig is one integration, the discovery data sources, and n data
// products on the semantic models the "scale" integration imported.
func scaleConfig(n int) string {
	return fmt.Sprintf(terraformBlock, tenant.DemoTenantID, tenant.DemoClientID) + fmt.Sprintf(`
variable "models" {
  type        = list(string)
  description = "Asset ids of the semantic models to govern (%d of them)."
}
# The discovery data sources, as a module would use them.
data "entropydata_powerbi_semantic_models" "finance" {
  integration = "scale"
  workspace   = "Finance 001"
}
data "entropydata_powerbi_reports" "finance" {
  integration = "scale"
  workspace   = "Finance 001"
}
resource "entropydata_powerbi_data_product" "dp" {
  for_each   = { for i, id in var.models : format("dp-%%04d", i) => id }
  id         = each.key
  type       = "semantic_model"
  asset_id   = each.value
  title      = "Data product ${each.key}"
  owner_team = "finance"
  status     = "active"
}
`, n)
}

// forEachConfig is the docs' pattern: one integration, and a data product
// for each semantic model a list data source finds, iterating its names map
// (asset id => name). The workspace pattern selects n models where the
// tenant's names allow it (10 per workspace: "Finance 001" has 10, "* 01*"
// the 100 of workspaces 010-019); otherwise a local takes the first n of a
// larger selection (990 models for "* 0*").
func forEachConfig(n int) string {
	const names = "data.entropydata_powerbi_semantic_models.governed.names"
	workspace, models, locals := "* 0*", "local.first_n", fmt.Sprintf(`
# Only the benchmark needs this: no pattern selects exactly %[1]d models. A local
# is evaluated once; for_each is evaluated again for every instance.
locals {
  first_n = { for id in slice(keys(%[2]s), 0, %[1]d) : id => %[2]s[id] }
}
`, n, names)
	switch {
	case n <= 10:
		workspace, models, locals = "Finance 001", names, ""
	case n <= 100:
		workspace, models, locals = "* 01*", names, ""
	}
	return fmt.Sprintf(terraformBlock, tenant.DemoTenantID, tenant.DemoClientID) + fmt.Sprintf(`
data "entropydata_powerbi_semantic_models" "governed" {
  integration = "scale"
  workspace   = %q
}
resource "entropydata_powerbi_data_product" "model" {
  for_each = %s

  id         = "model-${trimprefix(each.key, "powerbi-")}"
  type       = "semantic_model"
  asset_id   = each.key
  title      = each.value
  owner_team = "finance"
  status     = "active"
}
`, workspace, models) + locals
}

// modelAssetIDs are the first n semantic model assets the sandbox holds.
func modelAssetIDs(sb *sandbox.Sandbox, n int) []string {
	var ids []string
	for _, a := range sb.API.Assets() {
		if a.Info.Type == entropydata.AssetTypePowerBISemanticModel {
			ids = append(ids, a.ID)
		}
	}
	sort.Strings(ids)
	return ids[:min(n, len(ids))]
}

func report(t *testing.T, latency string, results []ScaleResult, reads []ReadResult) {
	var b strings.Builder
	machine := os.Getenv("E2E_MACHINE") // e.g. "2 cores, shared": said first in the results
	if machine != "" {
		fmt.Fprintf(&b, "Machine: %s.\n\n", machine)
	}
	fmt.Fprintf(&b, "Seconds: the operation (the floor of N terraform_data in the same run, the ratio). Latency mode: %s per request.\n\n", latency)
	fmt.Fprintf(&b, "| N | configuration | no-change plan: loopback | latency | apply: loopback | latency | destroy: loopback | latency |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|\n")
	byKey := map[string]ScaleResult{}
	var keys []string
	for _, r := range results {
		k := fmt.Sprintf("%06d %s", r.N, r.Config)
		if _, ok := byKey[k+" "+modeLoopback]; !ok && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
		byKey[k+" "+r.Mode] = r
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i] < keys[j] })
	cell := func(k, mode string, op func(ScaleResult) Op) string {
		r, ok := byKey[k+" "+mode]
		if !ok {
			return "-"
		}
		o := op(r)
		return fmt.Sprintf("%.1f (%.1f, %.2fx)", o.Seconds, o.FloorSeconds, o.ratio())
	}
	plan := func(r ScaleResult) Op { return r.Plan }
	apply := func(r ScaleResult) Op { return r.Apply }
	destroy := func(r ScaleResult) Op { return r.Destroy }
	for _, k := range keys {
		n, config, _ := strings.Cut(k, " ")
		nn, _ := strconv.Atoi(n)
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", nn, config,
			cell(k, modeLoopback, plan), cell(k, modeLatency, plan),
			cell(k, modeLoopback, apply), cell(k, modeLatency, apply),
			cell(k, modeLoopback, destroy), cell(k, modeLatency, destroy))
	}

	fmt.Fprintf(&b, "\nRequests (to Entropy Data, Power BI and Entra ID) per data product, and the provider's CPU (share of it in garbage collection) and peak memory in the no-change plan:\n\n")
	fmt.Fprintf(&b, "| N | configuration | mode | requests per data product: refresh / plan / apply / destroy | plan: provider CPU s (GC) | plan: provider peak RSS MiB | apply: provider peak RSS MiB |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		per := func(o Op) float64 { return float64(o.Requests) / float64(r.N) }
		fmt.Fprintf(&b, "| %d | %s | %s | %.2f / %.2f / %.2f / %.2f | %.1f (%.0f%%) | %.0f | %.0f |\n", r.N, r.Config, r.Mode,
			per(r.Refresh), per(r.Plan), per(r.Apply), per(r.Destroy),
			r.Plan.ProviderCPUSeconds, 100*r.Plan.gcShare(), r.Plan.ProviderMaxRSSMiB, r.Apply.ProviderMaxRSSMiB)
	}

	if len(reads) > 0 {
		fmt.Fprintf(&b, "\nOne unfiltered `entropydata_powerbi_semantic_models` over the whole tenant (`terraform apply` of that data source alone):\n\n")
		fmt.Fprintf(&b, "| mode | include_tables | models | seconds | requests | provider CPU s (GC) | provider peak RSS MiB |\n")
		fmt.Fprintf(&b, "|---|---|---|---|---|---|---|\n")
		for _, r := range reads {
			fmt.Fprintf(&b, "| %s | %t | %d | %.1f | %d | %.1f (%.0f%%) | %.0f |\n", r.Mode, r.IncludeTables, r.Models,
				r.Seconds, r.Requests, r.ProviderCPUSeconds, 100*r.gcShare(), r.ProviderMaxRSSMiB)
		}
	}
	fmt.Println(b.String())
	out := os.Getenv("E2E_SCALE_OUT")
	if out == "" {
		return
	}
	data, err := json.MarshalIndent(map[string]any{
		"date": time.Now().UTC().Format(time.RFC3339), "latency": latency, "results": results, "reads": reads, "machine": machine,
		"note": "seconds are wall-clock on the machine that ran it (plans: the median of " + strconv.Itoa(planRepeats) +
			" runs alternating with the floor's); compare ratios and request counts across versions",
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(out, ".json")+".md", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// topRoutes is where the requests between two counts went: the eight
// busiest routes.
func topRoutes(before, after map[string]int) map[string]int {
	type route struct {
		key string
		n   int
	}
	var routes []route
	for k, n := range after {
		if d := n - before[k]; d > 0 {
			routes = append(routes, route{k, d})
		}
	}
	sort.Slice(routes, func(i, j int) bool {
		return routes[i].n > routes[j].n || (routes[i].n == routes[j].n && routes[i].key < routes[j].key)
	})
	out := map[string]int{}
	for i, r := range routes {
		if i == 8 {
			break
		}
		out[r.key] = r.n
	}
	return out
}

func routesString(routes map[string]int) string {
	keys := make([]string, 0, len(routes))
	for k := range routes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return routes[keys[i]] > routes[keys[j]] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, routes[k])
	}
	return strings.Join(parts, ", ")
}

// logTopRoutes shows where the requests of an operation went.
func logTopRoutes(t *testing.T, op string, counts map[string]int) {
	t.Logf("%s requests by route: %s", op, routesString(topRoutes(nil, counts)))
}
