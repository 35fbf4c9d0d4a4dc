package entropyapi

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func accessBody(id, provider, port, consumer string) map[string]any {
	return map[string]any{
		"id":       id,
		"info":     map[string]any{"purpose": "lineage from " + provider},
		"provider": map[string]any{"dataProductId": provider, "outputPortId": port, "teamId": "ignored", "dataContractId": "ignored"},
		"consumer": map[string]any{"dataProductId": consumer, "teamId": "ignored"},
	}
}

// checkAccess asserts the Access shape: required id/info/provider/consumer, info.purpose,
// provider.dataProductId/outputPortId, and a consumer that matches exactly one of the document's
// oneOf branches ({dataProductId[, teamId]}, {teamId}, {userId}).
func checkAccess(t *testing.T, a map[string]any) {
	t.Helper()
	for _, k := range []string{"id", "info", "provider", "consumer"} {
		if a[k] == nil {
			t.Fatalf("access lacks %s: %v", k, a)
		}
	}
	info, provider, consumer := a["info"].(map[string]any), a["provider"].(map[string]any), a["consumer"].(map[string]any)
	if info["purpose"] == nil || provider["dataProductId"] == nil || provider["outputPortId"] == nil {
		t.Errorf("access %v", a)
	}
	if s, ok := info["status"]; ok && s != "requested" && s != "approved" && s != "rejected" {
		t.Errorf("status %v not in enum", s)
	}
	branches := 0
	if consumer["dataProductId"] != nil {
		branches++
	}
	if consumer["teamId"] != nil {
		branches++
	}
	if consumer["userId"] != nil {
		branches++
	}
	if branches != 1 {
		t.Errorf("consumer %v matches %d oneOf branches, want 1", consumer, branches)
	}
}

func TestAccessLifecycle(t *testing.T) {
	clock := &fixedClock{t: mustTime("2026-03-10T12:00:00Z")}
	h := newHarness(t, Options{Now: clock.now})
	seedProducts(t, h.srv)
	const path = "/api/access/report-uses-orders"

	body := accessBody("report-uses-orders", "snowflake-orders", "orders", "revenue-report")
	body["info"].(map[string]any)["status"] = "approved" // read-only: ignored
	body["info"].(map[string]any)["active"] = true
	r := h.do("PUT", path, body).want(t, 200)
	if len(r.body) != 0 {
		t.Errorf("PUT answers 200 without a body, got %s", r.body)
	}
	a := h.do("GET", path, nil).want(t, 200).object(t)
	checkAccess(t, a)
	info, provider := a["info"].(map[string]any), a["provider"].(map[string]any)
	if info["status"] != "requested" || info["active"] != false {
		t.Fatalf("new access %v", info)
	}
	if provider["teamId"] != "finance" || provider["dataContractId"] != "orders-contract" {
		t.Errorf("server-filled provider fields %v", provider)
	}

	h.do("POST", path+"/approve", nil).want(t, 200)
	a = h.do("GET", path, nil).object(t)
	checkAccess(t, a)
	if info := a["info"].(map[string]any); info["status"] != "approved" || info["active"] != true {
		t.Fatalf("approved %v", info)
	}
	h.do("POST", path+"/approve", nil).want(t, 200) // idempotent
	h.do("POST", path+"/reject", nil).problem(t, 422, "cancel it instead")

	// A re-PUT with the same parties keeps the approval.
	h.do("PUT", path, accessBody("report-uses-orders", "snowflake-orders", "orders", "revenue-report")).want(t, 200)
	if info := h.do("GET", path, nil).object(t)["info"].(map[string]any); info["status"] != "approved" {
		t.Fatalf("re-PUT lost the approval: %v", info)
	}

	// Cancel ends the agreement now: still approved, inactive, with today's end date.
	h.do("POST", path+"/cancel", nil).want(t, 200)
	a = h.do("GET", path, nil).object(t)
	checkAccess(t, a)
	info = a["info"].(map[string]any)
	if info["status"] != "approved" || info["active"] != false || info["endDate"] != "2026-03-10" {
		t.Fatalf("canceled %v", info)
	}
	// A later PUT cannot reactivate it, and it cannot be approved again.
	h.do("PUT", path, accessBody("report-uses-orders", "snowflake-orders", "orders", "revenue-report")).want(t, 200)
	if info := h.do("GET", path, nil).object(t)["info"].(map[string]any); info["active"] != false || info["endDate"] != "2026-03-10" {
		t.Fatalf("PUT reactivated a canceled access: %v", info)
	}
	h.do("POST", path+"/approve", nil).problem(t, 422, "canceled")

	// New parties make a new request.
	h.do("PUT", path, accessBody("report-uses-orders", "snowflake-orders", "orders-public", "revenue-report")).want(t, 200)
	if info := h.do("GET", path, nil).object(t)["info"].(map[string]any); info["status"] != "approved" || info["active"] != true {
		t.Fatalf("autoApprove port: %v", info)
	}

	h.do("DELETE", path, nil).want(t, 200)
	h.do("GET", path, nil).problem(t, 404)
	h.do("DELETE", path, nil).problem(t, 404)
	for _, action := range []string{"approve", "reject", "cancel"} {
		h.do("POST", path+"/"+action, nil).problem(t, 404)
	}
}

func TestAccessCancelWithEndDate(t *testing.T) {
	clock := &fixedClock{t: mustTime("2026-03-10T12:00:00Z")}
	h := newHarness(t, Options{Now: clock.now})
	seedProducts(t, h.srv)
	h.do("PUT", "/api/access/a", accessBody("a", "snowflake-orders", "orders-public", "revenue-report")).want(t, 200)
	h.do("POST", "/api/access/a/cancel", `{"endDate":"31.03.2026"}`).problem(t, 400)
	h.do("POST", "/api/access/a/cancel", `{"endDate":"2026-03-31"}`).want(t, 200)
	if info := h.do("GET", "/api/access/a", nil).object(t)["info"].(map[string]any); info["active"] != true || info["endDate"] != "2026-03-31" {
		t.Fatalf("before the end date %v", info)
	}
	clock.t = mustTime("2026-03-31T00:00:00Z")
	if info := h.do("GET", "/api/access/a", nil).object(t)["info"].(map[string]any); info["active"] != false {
		t.Fatalf("on the end date %v", info)
	}
}

func TestAccessRejectAndRules(t *testing.T) {
	h := newHarness(t, Options{})
	seedProducts(t, h.srv)
	h.do("PUT", "/api/access/r", accessBody("r", "snowflake-orders", "orders", "revenue-report")).want(t, 200)
	h.do("POST", "/api/access/r/cancel", nil).problem(t, 422, "Only an approved access can be canceled")
	h.do("POST", "/api/access/r/reject", nil).want(t, 200)
	if info := h.do("GET", "/api/access/r", nil).object(t)["info"].(map[string]any); info["status"] != "rejected" || info["active"] != false {
		t.Fatalf("rejected %v", info)
	}
	h.do("POST", "/api/access/r/approve", nil).problem(t, 422, "rejected")

	tests := []struct {
		name       string
		id         string
		body       map[string]any
		status     int
		detail     string
		violations string
	}{
		{"unknown provider product", "x", accessBody("x", "nope", "orders", "revenue-report"), 422, "provider data product 'nope'", ""},
		{"unknown output port", "x", accessBody("x", "snowflake-orders", "nope", "revenue-report"), 422, "output port 'nope'", ""},
		{"unknown consumer product", "x", accessBody("x", "snowflake-orders", "orders", "nope"), 422, "consumer data product 'nope'", ""},
		{"self consumption", "x", accessBody("x", "snowflake-orders", "orders", "snowflake-orders"), 422, "its own output port", ""},
		{"id differs from path", "y", accessBody("x", "snowflake-orders", "orders", "revenue-report"), 422, "path parameter", ""},
		{"missing fields", "x", map[string]any{"id": "x", "info": map[string]any{}, "provider": map[string]any{}, "consumer": map[string]any{}}, 400, "",
			"[consumer info.purpose provider.dataProductId provider.outputPortId]"},
		{"bad date", "x", func() map[string]any {
			b := accessBody("x", "snowflake-orders", "orders", "revenue-report")
			b["info"].(map[string]any)["startDate"] = "tomorrow"
			return b
		}(), 400, "", "[info.startDate]"},
		{"unknown consumer team", "x", map[string]any{"id": "x", "info": map[string]any{"purpose": "p"}, "provider": map[string]any{"dataProductId": "snowflake-orders", "outputPortId": "orders"}, "consumer": map[string]any{"teamId": "nobody"}}, 422, "consumer team 'nobody'", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := h.do("PUT", "/api/access/"+tc.id, tc.body).problem(t, tc.status, tc.detail)
			if tc.violations != "" && fmt.Sprint(fields(p.Violations)) != tc.violations {
				t.Errorf("violations %v", fields(p.Violations))
			}
		})
	}

	// Team and user consumers.
	team := map[string]any{"id": "t", "info": map[string]any{"purpose": "p"}, "provider": map[string]any{"dataProductId": "snowflake-orders", "outputPortId": "orders"}, "consumer": map[string]any{"teamId": "sales"}}
	h.do("PUT", "/api/access/t", team).want(t, 200)
	user := map[string]any{"id": "u", "info": map[string]any{"purpose": "p"}, "provider": map[string]any{"dataProductId": "snowflake-orders", "outputPortId": "orders"}, "consumer": map[string]any{"userId": "alice@example.com"}}
	h.do("PUT", "/api/access/u", user).want(t, 200)
	for _, id := range []string{"t", "u"} {
		checkAccess(t, h.do("GET", "/api/access/"+id, nil).want(t, 200).object(t))
	}

	// Go-level writes follow the same rules and reads render like GET.
	err := h.srv.PutAccess(Access{ID: "g", Info: AccessInfo{Purpose: "p"}, Provider: AccessProvider{DataProductID: "snowflake-orders", OutputPortID: "orders-public"}, Consumer: AccessConsumer{DataProductID: "revenue-report"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.srv.PutAccess(Access{ID: "g2", Info: AccessInfo{Purpose: "p"}, Provider: AccessProvider{DataProductID: "nope", OutputPortID: "x"}, Consumer: AccessConsumer{TeamID: "sales"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("PutAccess unknown provider: %v", err)
	}
	all := h.srv.Accesses()
	if last := all[len(all)-1]; last.ID != "g" || last.Info.Status != AccessApproved || !last.Info.Active || last.Provider.TeamID != "finance" {
		t.Errorf("Accesses %+v", last)
	}
}

func TestAccessTeamScopedApproval(t *testing.T) {
	h := newHarness(t, Options{})
	seedProducts(t, h.srv) // snowflake-orders is owned by finance, revenue-report by sales
	h.do("PUT", "/api/access/a", accessBody("a", "snowflake-orders", "orders", "revenue-report")).want(t, 200)

	h.doAs(salesKey, "POST", "/api/access/a/approve", nil).problem(t, 403, "finance")
	h.doAs(salesKey, "POST", "/api/access/a/reject", nil).problem(t, 403)
	if info := h.do("GET", "/api/access/a", nil).object(t)["info"].(map[string]any); info["status"] != "requested" {
		t.Fatalf("a forbidden approve changed the access: %v", info)
	}
	h.doAs(financeKey, "POST", "/api/access/a/approve", nil).want(t, 200)
	// The consumer's team may cancel its own agreement.
	h.doAs(salesKey, "POST", "/api/access/a/cancel", nil).want(t, 200)
}

func TestAccessList(t *testing.T) {
	h := newHarness(t, Options{})
	seedProducts(t, h.srv)
	if err := h.srv.PutDataProductJSON("other-report", []byte(reportProductJSON("other-report", "sales"))); err != nil {
		t.Fatal(err)
	}
	for i, c := range []string{"revenue-report", "other-report", "revenue-report"} {
		port := "orders"
		if i == 2 {
			port = "orders-public"
		}
		h.do("PUT", fmt.Sprintf("/api/access/a%d", i), accessBody(fmt.Sprintf("a%d", i), "snowflake-orders", port, c)).want(t, 200)
	}
	team := map[string]any{"id": "t", "info": map[string]any{"purpose": "p"}, "provider": map[string]any{"dataProductId": "snowflake-orders", "outputPortId": "orders"}, "consumer": map[string]any{"teamId": "sales"}}
	h.do("PUT", "/api/access/t", team).want(t, 200)

	ids := func(q string) (string, string) {
		r := h.do("GET", "/api/access"+q, nil).want(t, 200)
		var out []string
		for _, a := range r.array(t) {
			checkAccess(t, a)
			out = append(out, a["id"].(string))
		}
		return fmt.Sprint(out), r.header.Get("Link")
	}
	for q, want := range map[string]string{
		"":                                      "[a0 a1 a2 t]",
		"?consumerDataProductId=revenue-report": "[a0 a2]",
		"?providerDataProductId=revenue-report": "[]",
		"?consumerType=team":                    "[t]",
		"?consumerType=dataproduct&pageSize=2&p=1": "[a2]",
	} {
		if got, _ := ids(q); got != want {
			t.Errorf("%q: %s, want %s", q, got, want)
		}
	}
	if got, link := ids("?pageSize=2"); got != "[a0 a1]" || link == "" {
		t.Errorf("pageSize=2: %s, Link %q", got, link)
	}
	h.do("GET", "/api/access?pageSize=1", nil).problem(t, 400, "pageSize")
	h.do("GET", "/api/access?consumerType=robot", nil).problem(t, 400, "consumerType")
}
