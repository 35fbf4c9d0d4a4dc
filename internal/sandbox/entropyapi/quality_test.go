package entropyapi

import (
	"fmt"
	"testing"
	"time"
)

// cliTestResult is shaped like what the Data Contract CLI posts (note the space-separated
// timestamps of the API document's own example).
func cliTestResult(id, server, result, end string, checks ...string) map[string]any {
	var cs []any
	for i, c := range checks {
		cs = append(cs, map[string]any{"type": "quality", "name": fmt.Sprintf("check %d", i), "result": c, "engine": "datacontract-cli"})
	}
	return map[string]any{
		"id": id, "dataContractId": "orders-contract", "dataContractVersion": "1.0.0", "server": server,
		"timestampStart": "2026-03-01 10:46:28.195230+00:00", "timestampEnd": end, "result": result,
		"checks": cs, "logs": []any{map[string]any{"level": "INFO", "message": "ok", "timestamp": "2026-03-01 10:46:29.083871+00:00"}},
	}
}

func TestTestResults(t *testing.T) {
	h := newHarness(t, Options{PageSize: 2})
	r := h.do("POST", "/api/test-results", cliTestResult("t1", "production", "passed", "2026-03-01 10:46:42.481447+00:00", "passed")).want(t, 200)
	if len(r.body) != 0 {
		t.Errorf("POST answers 200 without a body, got %s", r.body)
	}
	h.do("POST", "/api/test-results", cliTestResult("t2", "staging", "failed", "2026-03-02T10:00:00Z", "failed")).want(t, 200)
	h.do("POST", "/api/test-results", cliTestResult("t3", "production", "warning", "2026-03-03T10:00:00Z", "warning")).want(t, 200)

	got := h.do("GET", "/api/test-results/t1", nil).want(t, 200).object(t)
	if got["timestampEnd"] != "2026-03-01T10:46:42.481447Z" || got["timestampStart"] != "2026-03-01T10:46:28.19523Z" {
		t.Errorf("timestamps are not RFC 3339: %v / %v", got["timestampStart"], got["timestampEnd"])
	}
	if len(got["checks"].([]any)) != 1 || len(got["logs"].([]any)) != 1 {
		t.Errorf("GET by id carries checks and logs: %v", got)
	}
	h.do("GET", "/api/test-results/nope", nil).problem(t, 404)

	ids := func(q string) (string, string) {
		r := h.do("GET", "/api/test-results"+q, nil).want(t, 200)
		var out []string
		for _, tr := range r.array(t) {
			if _, ok := tr["checks"]; ok {
				t.Error("list items must omit checks")
			}
			if _, ok := tr["logs"]; ok {
				t.Error("list items must omit logs")
			}
			out = append(out, tr["id"].(string))
		}
		return fmt.Sprint(out), r.header.Get("Link")
	}
	if got, link := ids(""); got != "[t3 t2]" || link == "" {
		t.Errorf("newest first, paged: %s %q", got, link)
	}
	if got, _ := ids("?p=1"); got != "[t1]" {
		t.Errorf("page 1: %s", got)
	}
	if got, _ := ids("?server=production"); got != "[t3 t1]" {
		t.Errorf("server filter: %s", got)
	}
	if got, _ := ids("?dataContractId=other"); got != "[]" {
		t.Errorf("contract filter: %s", got)
	}

	p := h.do("POST", "/api/test-results", map[string]any{"id": "x", "result": "great", "timestampStart": "yesterday", "checks": []any{map[string]any{"result": "ok"}}}).problem(t, 400)
	want := "[checks[0].result checks[0].type dataContractId dataContractVersion result server timestampEnd timestampStart]"
	if fmt.Sprint(fields(p.Violations)) != want {
		t.Errorf("violations %v", fields(p.Violations))
	}

	h.do("DELETE", "/api/test-results/t2", nil).want(t, 200)
	h.do("DELETE", "/api/test-results/t2", nil).problem(t, 404)
}

func TestTestResultsDefaultPageSize(t *testing.T) {
	h := newHarness(t, Options{})
	for i := range 101 {
		tr := TestResult{ID: fmt.Sprint(i), DataContractID: "c", DataContractVersion: "1", Server: "s", TimestampStart: time.Now(), TimestampEnd: time.Now(), Result: "passed"}
		if err := h.srv.AddTestResult(tr); err != nil {
			t.Fatal(err)
		}
	}
	r := h.do("GET", "/api/test-results", nil).want(t, 200)
	if n := len(r.array(t)); n != 100 || r.header.Get("Link") == "" {
		t.Errorf("first page has %d items, Link %q; want 100 and a Link", n, r.header.Get("Link"))
	}
}

func TestDataProductScore(t *testing.T) {
	clock := &fixedClock{t: mustTime("2026-03-10T12:00:00Z")}
	h := newHarness(t, Options{Now: clock.now})
	seedProducts(t, h.srv) // snowflake-orders: ports orders (contract orders-contract) and orders-public

	score := h.do("GET", "/api/dataproducts/snowflake-orders/score", nil).want(t, 200).object(t)
	if v, ok := score["score"]; !ok || v != nil || score["dataProductId"] != "snowflake-orders" {
		t.Fatalf("no quality data yet: %v", score)
	}

	// orders: an old all-failed run, then 3 of 4 checks passed (the latest counts) -> 75.
	h.do("POST", "/api/test-results", cliTestResult("old", "snowflake-orders/orders", "failed", "2026-03-01T00:00:00Z", "failed")).want(t, 200)
	h.do("POST", "/api/test-results", cliTestResult("new", "snowflake-orders/orders", "failed", "2026-03-05T00:00:00Z", "passed", "passed", "passed", "failed")).want(t, 200)
	// orders-public: a warning without checks -> 50.
	h.do("POST", "/api/test-results", cliTestResult("pub", "snowflake-orders/orders-public", "warning", "2026-03-04T00:00:00Z")).want(t, 200)

	score = h.do("GET", "/api/dataproducts/snowflake-orders/score", nil).want(t, 200).object(t)
	if score["score"] != 62.5 || score["updatedAt"] != "2026-03-05T00:00:00Z" {
		t.Fatalf("score %v", score)
	}
	ports := score["outputPorts"].([]any)
	if p := ports[0].(map[string]any); p["outputPortId"] != "orders" || p["score"] != 75.0 || p["testResultId"] != "new" {
		t.Errorf("orders port %v", p)
	}
	if p := ports[1].(map[string]any); p["score"] != 50.0 || p["result"] != "warning" {
		t.Errorf("orders-public port %v", p)
	}

	// The port's data contract also links results.
	h.do("POST", "/api/test-results", map[string]any{"id": "by-contract", "dataContractId": "orders-contract", "dataContractVersion": "2", "server": "prod", "timestampStart": "2026-03-06T00:00:00Z", "timestampEnd": "2026-03-06T00:00:00Z", "result": "passed"}).want(t, 200)
	if s, _ := h.srv.DataProductScore("snowflake-orders"); *s.Score != 75 {
		t.Errorf("score with contract-linked result: %v", *s.Score)
	}

	if err := h.srv.SetDataProductScore("snowflake-orders", 12.5); err != nil {
		t.Fatal(err)
	}
	if s := h.do("GET", "/api/dataproducts/snowflake-orders/score", nil).object(t); s["score"] != 12.5 || s["updatedAt"] != "2026-03-10T12:00:00Z" {
		t.Errorf("override %v", s)
	}
	if err := h.srv.SetDataProductScore("nope", 1); err == nil {
		t.Error("override of an unknown product")
	}
	if err := h.srv.SetDataProductScore("snowflake-orders", 101); err == nil {
		t.Error("score above 100")
	}
	h.do("GET", "/api/dataproducts/nope/score", nil).problem(t, 404)

}
