package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// The scale benchmark behind `make bench`. It is a test so it can reuse the
// end-to-end harness, but it only runs when E2E_SCALE lists the sizes
// (e.g. E2E_SCALE=50,200,500): timings belong in a benchmark, never in
// `make test`.
//
// For each N it applies one integration, the discovery data sources and N
// semantic-model data products against the sandbox's large generated
// tenant, then plans with no changes, refreshes (plan -refresh-only) and
// destroys; and it does the same with N terraform_data resources, the floor
// any provider pays.

// ScaleResult is one row of the benchmark, as written to results/scale.json.
type ScaleResult struct {
	N                   int     `json:"n"`
	ApplySeconds        float64 `json:"apply_seconds"`
	PlanSeconds         float64 `json:"plan_seconds"`
	DestroySeconds      float64 `json:"destroy_seconds"`
	FloorApplySeconds   float64 `json:"floor_apply_seconds"`
	FloorPlanSeconds    float64 `json:"floor_plan_seconds"`
	FloorDestroySeconds float64 `json:"floor_destroy_seconds"`
	ApplyRequests       int     `json:"apply_requests"`
	PlanRequests        int     `json:"plan_requests"`
	DestroyRequests     int     `json:"destroy_requests"`
	PlanRequestsPerDP   float64 `json:"plan_requests_per_data_product"`
	// A refresh-only plan reads every object (ReadResource) and plans no change.
	RefreshRequests      int     `json:"refresh_requests"`
	RefreshRequestsPerDP float64 `json:"refresh_requests_per_data_product"`
	ProviderMaxRSSMiB    float64 `json:"provider_max_rss_mib"`
}

func TestScaleBenchmark(t *testing.T) {
	spec := os.Getenv("E2E_SCALE")
	if spec == "" {
		t.Skip("set E2E_SCALE=50,200,500 (make bench) to run the scale benchmark")
	}
	var sizes []int
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			t.Fatalf("E2E_SCALE: %q is not a positive number", s)
		}
		sizes = append(sizes, n)
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
	for _, n := range sizes {
		results = append(results, runScale(t, sb, n))
	}
	report(t, results)
}

// planRepeats is how often each no-change plan is timed; the median counts.
// Plans take seconds, and a shared machine's noise moves a single one by
// more than the margin the plan-time target leaves.
const planRepeats = 3

func runScale(t *testing.T, sb *sandbox.Sandbox, n int) ScaleResult {
	t.Helper()
	res := ScaleResult{N: n}

	w := newWorkspace(t, sb, "TF_VAR_secret="+tenant.DemoClientSecret)
	w.write("main.tf", scaleConfig(n))
	models, err := json.Marshal(modelAssetIDs(sb, n))
	if err != nil {
		t.Fatal(err)
	}
	w.write("models.auto.tfvars.json", `{"models": `+string(models)+`}`)
	floor := newWorkspace(t, sb)
	floor.write("main.tf", fmt.Sprintf(`
resource "terraform_data" "floor" {
  for_each = toset([for i in range(%d) : tostring(i)])
  input    = each.key
}
`, n))

	mem := watchProviderMemory()
	measure := func(w *workspace, args ...string) (float64, int) {
		before := sb.Faults.Total()
		began := time.Now()
		w.terraform(args...)
		return time.Since(began).Seconds(), sb.Faults.Total() - before
	}
	res.FloorApplySeconds, _ = measure(floor, "apply", "-auto-approve", "-input=false", "-parallelism=10")
	res.ApplySeconds, res.ApplyRequests = measure(w, "apply", "-auto-approve", "-input=false", "-parallelism=10")

	// The plans alternate with the floor's, so that a slow spell of the
	// machine weighs on both sides of the ratio.
	var plans, floorPlans []float64
	for range planRepeats {
		sb.Faults.Reset()
		secs, requests := measure(w, "plan", "-input=false", "-detailed-exitcode")
		plans, res.PlanRequests = append(plans, secs), requests
		secs, _ = measure(floor, "plan", "-input=false")
		floorPlans = append(floorPlans, secs)
	}
	logTopRoutes(t, "no-change plan", sb.Faults.Counts())
	res.PlanSeconds, res.FloorPlanSeconds = median(plans), median(floorPlans)
	_, res.RefreshRequests = measure(w, "plan", "-refresh-only", "-input=false")

	res.DestroySeconds, res.DestroyRequests = measure(w, "destroy", "-auto-approve", "-input=false", "-parallelism=10")
	res.ProviderMaxRSSMiB = mem.stop()
	res.FloorDestroySeconds, _ = measure(floor, "destroy", "-auto-approve", "-input=false", "-parallelism=10")
	res.PlanRequestsPerDP = float64(res.PlanRequests) / float64(n)
	res.RefreshRequestsPerDP = float64(res.RefreshRequests) / float64(n)
	return res
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// scaleConfig is one integration, the discovery data sources, and n data
// products on the semantic models the "scale" integration imported.
func scaleConfig(n int) string {
	return fmt.Sprintf(`
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
`, tenant.DemoTenantID, tenant.DemoClientID, n)
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

// memoryWatch polls the provider processes' peak resident memory (VmHWM).
type memoryWatch struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  float64
}

func watchProviderMemory() *memoryWatch {
	m := &memoryWatch{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-tick.C:
				m.max = max(m.max, providerPeakMiB())
			}
		}
	}()
	return m
}

func (m *memoryWatch) stop() float64 {
	close(m.done)
	m.wg.Wait()
	return m.max
}

func providerPeakMiB() float64 {
	var peak float64
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
			continue
		}
		status, err := os.ReadFile(filepath.Join(d, "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				peak = max(peak, kb/1024)
			}
		}
	}
	return peak
}

func report(t *testing.T, results []ScaleResult) {
	var b strings.Builder
	fmt.Fprintf(&b, "| N | apply s (floor, ratio) | no-change plan s (floor, ratio) | destroy s (floor, ratio) | requests apply / plan / destroy | requests per data product: refresh / plan | provider peak RSS MiB |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|\n")
	ratio := func(a, b float64) float64 { return a / max(b, 0.001) }
	for _, r := range results {
		fmt.Fprintf(&b, "| %d | %.1f (%.1f, %.2fx) | %.1f (%.1f, %.2fx) | %.1f (%.1f, %.2fx) | %d / %d / %d | %.2f / %.2f | %.0f |\n",
			r.N, r.ApplySeconds, r.FloorApplySeconds, ratio(r.ApplySeconds, r.FloorApplySeconds),
			r.PlanSeconds, r.FloorPlanSeconds, ratio(r.PlanSeconds, r.FloorPlanSeconds),
			r.DestroySeconds, r.FloorDestroySeconds, ratio(r.DestroySeconds, r.FloorDestroySeconds),
			r.ApplyRequests, r.PlanRequests, r.DestroyRequests, r.RefreshRequestsPerDP, r.PlanRequestsPerDP, r.ProviderMaxRSSMiB)
	}
	fmt.Println(b.String())
	out := os.Getenv("E2E_SCALE_OUT")
	if out == "" {
		return
	}
	data, err := json.MarshalIndent(map[string]any{
		"date": time.Now().UTC().Format(time.RFC3339), "results": results,
		"note": "seconds are wall-clock on the machine that ran it (plans: the median of " + strconv.Itoa(planRepeats) + " runs alternating with the floor's); compare ratios and request counts across versions",
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

// logTopRoutes shows where the requests of an operation went.
func logTopRoutes(t *testing.T, op string, counts map[string]int) {
	type route struct {
		key string
		n   int
	}
	var routes []route
	for k, n := range counts {
		routes = append(routes, route{k, n})
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].n > routes[j].n })
	var parts []string
	for i, r := range routes {
		if i == 8 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s: %d", r.key, r.n))
	}
	t.Logf("%s requests by route: %s", op, strings.Join(parts, ", "))
}
