package faults_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/faults"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// okHandler counts the requests that got through.
type okHandler struct{ served atomic.Int32 }

func (h *okHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.served.Add(1)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
}

type result struct {
	status int
	header http.Header
	body   map[string]any
}

func call(t *testing.T, h http.Handler, method, path string, hdr ...string) result {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return result{rec.Code, rec.Header(), body}
}

func TestEveryNthWithRetryAfter(t *testing.T) {
	in := faults.NewInjector()
	in.Add(faults.Rule{Method: "PUT", PathPrefix: "/api/dataproducts", Status: 429, Every: 3, RetryAfter: 1500 * time.Millisecond})
	next := &okHandler{}
	h := in.Middleware(faults.SurfaceEntropyData, next)

	var statuses []int
	for i := 0; i < 9; i++ {
		r := call(t, h, "PUT", "/api/dataproducts/revenue-model")
		statuses = append(statuses, r.status)
		if r.status == 429 {
			if r.header.Get("Retry-After") != "2" { // rounded up
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			if r.body["status"] != float64(429) || r.body["title"] != "Too Many Requests" || r.body["type"] != "about:blank" ||
				r.body["instance"] != "/api/dataproducts/revenue-model" || r.body["detail"] == nil {
				t.Errorf("problem body %v", r.body)
			}
			if r.header.Get("X-Sandbox-Fault") == "" {
				t.Error("injected responses must say so")
			}
		}
	}
	want := []int{200, 200, 429, 200, 200, 429, 200, 200, 429}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}
	if got := call(t, h, "GET", "/api/dataproducts/revenue-model").status; got != 200 {
		t.Errorf("GET matched a PUT rule: %d", got)
	}
	if next.served.Load() != 7 || in.Injected() != 3 {
		t.Errorf("served %d, injected %d", next.served.Load(), in.Injected())
	}
	if st := in.RuleStats(); len(st) != 1 || st[0].Matched != 9 || st[0].Injected != 3 {
		t.Errorf("rule stats %+v", st)
	}
}

func TestTimesLimitsInjections(t *testing.T) {
	in := faults.NewInjector()
	id := in.Add(faults.Rule{PathPrefix: "/v1.0/", Status: 503, Times: 2})
	h := in.Middleware(faults.SurfacePowerBI, &okHandler{})
	var got []int
	for i := 0; i < 4; i++ {
		got = append(got, call(t, h, "GET", "/v1.0/myorg/groups").status)
	}
	if got[0] != 503 || got[1] != 503 || got[2] != 200 || got[3] != 200 {
		t.Errorf("statuses %v", got)
	}
	if !in.Remove(id) || in.Remove(id) {
		t.Error("Remove")
	}
}

func TestProbabilityIsSeededAndDeterministic(t *testing.T) {
	pattern := func(seed uint64) string {
		in := faults.NewInjector()
		in.Add(faults.Rule{Method: "*", PathPrefix: "/v1.0/", Status: 503, Probability: 0.33, Seed: seed})
		h := in.Middleware(faults.SurfacePowerBI, &okHandler{})
		var b strings.Builder
		for i := 0; i < 300; i++ {
			if call(t, h, "GET", "/v1.0/myorg/groups").status == 503 {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b, c := pattern(7), pattern(7), pattern(8)
	if a != b {
		t.Error("same seed, different fault pattern")
	}
	if a == c {
		t.Error("different seeds, same fault pattern")
	}
	if n := strings.Count(a, "x"); n < 60 || n > 140 {
		t.Errorf("%d of 300 failed at p=0.33", n)
	}
}

func TestLatency(t *testing.T) {
	in := faults.NewInjector()
	in.Add(faults.Rule{PathPrefix: "/slow", Latency: 60 * time.Millisecond})
	in.Add(faults.Rule{PathPrefix: "/slow/and/broken", Status: 502, Latency: 30 * time.Millisecond})
	next := &okHandler{}
	h := in.Middleware("custom", next)

	start := time.Now()
	if r := call(t, h, "GET", "/slow/ok"); r.status != 200 || time.Since(start) < 60*time.Millisecond {
		t.Errorf("latency-only rule: %d after %v", r.status, time.Since(start))
	}
	start = time.Now()
	r := call(t, h, "GET", "/slow/and/broken")
	if r.status != 502 || time.Since(start) < 90*time.Millisecond {
		t.Errorf("latencies add up before the fault: %d after %v", r.status, time.Since(start))
	}
	if r.body["status"] != float64(502) || r.body["error"] != "Bad Gateway" {
		t.Errorf("generic body %v", r.body)
	}
	if start := time.Now(); call(t, h, "GET", "/fast").status != 200 || time.Since(start) > 30*time.Millisecond {
		t.Error("unmatched request was slowed down")
	}

	// A client that gives up does not keep the handler waiting, and next never runs.
	in.Clear()
	in.Add(faults.Rule{PathPrefix: "/", Latency: 5 * time.Second})
	before := next.served.Load()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest("GET", "/x", nil).WithContext(ctx)
	start = time.Now()
	h.ServeHTTP(httptest.NewRecorder(), req)
	if time.Since(start) > time.Second || next.served.Load() != before {
		t.Errorf("cancelled request: %v, served %d", time.Since(start), next.served.Load()-before)
	}
}

func TestSurfaceShapedBodies(t *testing.T) {
	in := faults.NewInjector()
	in.Add(faults.Rule{PathPrefix: "/503", Status: 503, RetryAfter: time.Second})
	in.Add(faults.Rule{PathPrefix: "/429", Status: 429, RetryAfter: 3 * time.Second})

	pbi := in.Middleware(faults.SurfacePowerBI, &okHandler{})
	r := call(t, pbi, "GET", "/429")
	e, _ := r.body["error"].(map[string]any)
	if r.status != 429 || e["code"] != "TooManyRequests" || e["message"] == nil || r.header.Get("RequestId") == "" || r.header.Get("Retry-After") != "3" {
		t.Errorf("power bi 429: %d %v %v", r.status, r.body, r.header)
	}
	if e := call(t, pbi, "GET", "/503").body["error"].(map[string]any); e["code"] != "ServiceUnavailable" {
		t.Errorf("power bi 503: %v", e)
	}

	idp := in.Middleware(faults.SurfaceEntra, &okHandler{})
	r = call(t, idp, "POST", "/503", "client-request-id", "c0ffee00-0000-4000-8000-000000000001")
	codes, _ := r.body["error_codes"].([]any)
	if r.status != 503 || r.body["error"] != "temporarily_unavailable" || len(codes) != 1 || codes[0] != float64(90033) ||
		!strings.HasPrefix(r.body["error_description"].(string), "AADSTS90033: ") ||
		r.body["correlation_id"] != "c0ffee00-0000-4000-8000-000000000001" || r.body["trace_id"] == nil || r.body["timestamp"] == nil {
		t.Errorf("entra 503: %v", r.body)
	}
	if codes := call(t, idp, "POST", "/429").body["error_codes"].([]any); codes[0] != float64(90055) {
		t.Errorf("entra 429 codes %v", codes)
	}
}

func TestSurfaceAndGlobMatching(t *testing.T) {
	in := faults.NewInjector()
	in.Add(faults.Rule{Surface: faults.SurfacePowerBI, PathPrefix: "/v1.0/myorg/groups/*/datasets", Status: 500})
	pbi := in.Middleware(faults.SurfacePowerBI, &okHandler{})
	other := in.Middleware(faults.SurfaceEntra, &okHandler{})
	for path, want := range map[string]int{
		"/v1.0/myorg/groups/" + tenant.DemoWorkspaceFinance + "/datasets":     500,
		"/v1.0/myorg/groups/" + tenant.DemoWorkspaceFinance + "/datasets/abc": 500,
		"/v1.0/myorg/groups/" + tenant.DemoWorkspaceFinance + "/reports":      200,
		"/v1.0/myorg/groups": 200,
	} {
		if got := call(t, pbi, "GET", path).status; got != want {
			t.Errorf("%s: %d, want %d", path, got, want)
		}
	}
	if got := call(t, other, "GET", "/v1.0/myorg/groups/x/datasets").status; got != 200 {
		t.Errorf("rule for powerbi fired on entra: %d", got)
	}
}

func TestRequestCounter(t *testing.T) {
	in := faults.NewInjector()
	in.AddTemplate("/api/widgets/{name}")
	in.Add(faults.Rule{Method: "GET", PathPrefix: "/api/teams", Status: 500})
	api := in.Middleware(faults.SurfaceEntropyData, &okHandler{})
	pbi := in.Middleware(faults.SurfacePowerBI, &okHandler{})
	idp := in.Middleware(faults.SurfaceEntra, &okHandler{})

	call(t, api, "PUT", "/api/dataproducts/revenue-model")
	call(t, api, "PUT", "/api/dataproducts/orders")
	call(t, api, "PUT", "/api/integrations/ingest/finance-powerbi")
	call(t, api, "GET", "/api/integrations/ingest")
	call(t, api, "POST", "/api/integrations/finance-powerbi/run")
	call(t, api, "GET", "/api/integrations/finance-powerbi/runs/42")
	call(t, api, "GET", "/api/widgets/blue")
	call(t, api, "GET", "/api/teams/finance") // injected, still counted
	call(t, pbi, "GET", "/v1.0/myorg/groups/"+tenant.DemoWorkspaceFinance+"/datasets")
	call(t, pbi, "GET", "/v1.0/myorg/groups/"+tenant.DemoWorkspaceMarketing+"/datasets")
	call(t, idp, "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token")
	call(t, idp, "GET", "/"+tenant.DemoTenantID+"/v2.0/.well-known/openid-configuration")

	want := map[string]int{
		"PUT /api/dataproducts/{id}":                          2,
		"PUT /api/integrations/ingest/{externalId}":           1,
		"GET /api/integrations/ingest":                        1,
		"POST /api/integrations/{externalId}/run":             1,
		"GET /api/integrations/{externalId}/runs/{runId}":     1,
		"GET /api/widgets/{name}":                             1,
		"GET /api/teams/{id}":                                 1,
		"GET /v1.0/myorg/groups/{id}/datasets":                2,
		"POST /{tenant}/oauth2/v2.0/token":                    1,
		"GET /{tenant}/v2.0/.well-known/openid-configuration": 1,
	}
	got := in.Counts()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d, want %d", k, got[k], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("unexpected keys: %v", got)
	}
	if in.Total() != 12 || in.Injected() != 1 {
		t.Errorf("total %d injected %d", in.Total(), in.Injected())
	}
	in.Reset()
	if in.Total() != 0 || len(in.Counts()) != 0 || in.RuleStats()[0].Matched != 0 {
		t.Error("Reset left counts behind")
	}
}

func TestParseRules(t *testing.T) {
	rules, err := faults.ParseRules("PUT /api/dataproducts 429 every=3 retry-after=1s; * /v1.0/ 503 p=0.33 seed=7\n" +
		"# a comment line\nget,post /v1.0/myorg/groups/*/datasets latency=250ms times=2 surface=powerbi # trailing comment\n;;")
	if err != nil {
		t.Fatal(err)
	}
	want := []faults.Rule{
		{Method: "PUT", PathPrefix: "/api/dataproducts", Status: 429, Every: 3, RetryAfter: time.Second},
		{Method: "*", PathPrefix: "/v1.0/", Status: 503, Probability: 0.33, Seed: 7},
		{Method: "GET,POST", PathPrefix: "/v1.0/myorg/groups/*/datasets", Latency: 250 * time.Millisecond, Times: 2, Surface: "powerbi"},
	}
	if len(rules) != len(want) {
		t.Fatalf("rules %+v", rules)
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Errorf("rule %d: %+v, want %+v", i, rules[i], want[i])
		}
		back, err := faults.ParseRules(rules[i].String())
		if err != nil || len(back) != 1 || back[0] != rules[i] {
			t.Errorf("round trip of %q: %+v %v", rules[i].String(), back, err)
		}
	}
	if r, _ := faults.ParseRules("* * 500 retry-after=2"); r[0].RetryAfter != 2*time.Second {
		t.Errorf("bare seconds: %v", r[0].RetryAfter)
	}
	if r, _ := faults.ParseRules(""); len(r) != 0 {
		t.Error("empty spec")
	}

	for _, bad := range []string{
		"PUT /x 200", "PUT /x 429 every=2 p=0.5", "PUT /x 429 p=1.5", "PUT /x 429 colour=red", "PUT x 429",
		"P@T /x 429", "PUT /x", "PUT /x fast", "PUT /x 429 every=two", "PUT /x 429 latency=soon", "PUT /x 429 surface=fabric", "PUT",
	} {
		if _, err := faults.ParseRules(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	_, err = faults.ParseRules("GET /ok 500; PUT /x 200")
	if err == nil || !strings.Contains(err.Error(), "rule 2") {
		t.Errorf("error should name the rule: %v", err)
	}

	in := faults.NewInjector()
	if _, err := in.AddSpec("GET /ok 500; PUT /x 200"); err == nil || len(in.RuleStats()) != 0 {
		t.Error("AddSpec must add all rules or none")
	}
	if ids, err := in.AddSpec("GET /ok 500; PUT /x 503"); err != nil || len(ids) != 2 {
		t.Errorf("AddSpec: %v %v", ids, err)
	}
}

func TestAddRejectsInvalidRules(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Add accepted a rule without status or latency")
		}
	}()
	faults.NewInjector().Add(faults.Rule{PathPrefix: "/x"})
}

// MSAL surfaces an injected Entra fault as a CallErr with Entra's error JSON, and the next
// call goes through: the provider's own retry (MSAL has none) has something to work with.
func TestInjectedEntraFaultReachesMSAL(t *testing.T) {
	in := faults.NewInjector()
	in.Add(faults.Rule{Method: "POST", PathPrefix: "/", Status: 503, RetryAfter: time.Second, Times: 1})
	idp := entra.New(tenant.Default())
	srv := httptest.NewTLSServer(in.Middleware(faults.SurfaceEntra, idp))
	defer srv.Close()

	cred, _ := confidential.NewCredFromSecret(tenant.DemoClientSecret)
	c, err := confidential.New(srv.URL+"/"+tenant.DemoTenantID, tenant.DemoClientID, cred,
		confidential.WithHTTPClient(srv.Client()), confidential.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.AcquireTokenByCredential(ctx, []string{entra.ScopePowerBI})
	var ce msalerrors.CallErr
	if !errors.As(err, &ce) || ce.Resp.StatusCode != 503 || ce.Resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("first call: %v", err)
	}
	var body struct {
		Error string `json:"error"`
		Codes []int  `json:"error_codes"`
	}
	b, _ := io.ReadAll(ce.Resp.Body)
	if json.Unmarshal(b, &body) != nil || body.Error != "temporarily_unavailable" || body.Codes[0] != 90033 {
		t.Errorf("body %s", b)
	}
	if _, err := c.AcquireTokenByCredential(ctx, []string{entra.ScopePowerBI}); err != nil {
		t.Errorf("second call: %v", err)
	}
	if got := in.Counts()["POST /{tenant}/oauth2/v2.0/token"]; got != 2 {
		t.Errorf("token POSTs counted: %d", got)
	}
}
