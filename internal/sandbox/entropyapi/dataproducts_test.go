package entropyapi

import (
	"fmt"
	"strings"
	"testing"
)

func TestDataProductPutGet(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	// Key order, unknown properties and formatting: GET returns what was PUT (compacted).
	body := `{
	  "dataProductSpecification": "0.0.1",
	  "id": "revenue-model",
	  "info": {"title": "Revenue Model", "owner": "finance", "archetype": "powerbi-semantic-model", "status": "active", "maturity": "managed"},
	  "outputPorts": [{"id": "model", "name": "Model", "server": {"workspace": "Finance", "dataset": "ds-1"}, "autoApprove": false, "assets": [{"assetId": "powerbi-model-1"}]}],
	  "custom": {"zeta": "1", "alpha": "2"},
	  "x-extension": {"kept": true}
	}`
	r := h.do("PUT", "/api/dataproducts/revenue-model", body).want(t, 200)
	if len(r.body) != 0 {
		t.Errorf("PUT answers 200 without a body, got %s", r.body)
	}
	got := h.do("GET", "/api/dataproducts/revenue-model", nil).want(t, 200)
	if ct := got.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	want := strings.Join(strings.Fields(body), "")
	if strings.ReplaceAll(string(got.body), " ", "") != want {
		t.Errorf("GET\n %s\nwant\n %s", got.body, want)
	}
	if b, ok := h.srv.DataProductJSON("revenue-model"); !ok || strings.ReplaceAll(string(b), " ", "") != want {
		t.Errorf("DataProductJSON %s", b)
	}
	h.do("GET", "/api/dataproducts/nope", nil).problem(t, 404, "nope")
}

func TestDataProductPutRules(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	tests := []struct {
		name, body string
		status     int
		detail     string
	}{
		{"missing id", `{"info":{"title":"T","owner":"finance"}}`, 422, "id is required"},
		{"missing info", `{"id":"p"}`, 422, "info is required"},
		{"missing title", `{"id":"p","info":{"owner":"finance"}}`, 422, "info.title is required"},
		{"blank owner", `{"id":"p","info":{"title":"T","owner":" "}}`, 422, "info.owner must not be blank"},
		{"id differs from path", `{"id":"q","info":{"title":"T","owner":"finance"}}`, 422, "must be same as the path parameter"},
		{"unknown owner", `{"id":"p","info":{"title":"T","owner":"marketing"}}`, 422, "marketing"},
		{"unknown type", `{"id":"p","info":{"title":"T","owner":"finance","archetype":"dashboard"}}`, 422, "dashboard"},
		{"ODPS without status", `{"apiVersion":"v1.0.0","kind":"DataProduct","id":"p","name":"P","team":{"name":"finance"}}`, 422, "status is required"},
		{"ODPS without team", `{"apiVersion":"v1.0.0","kind":"DataProduct","id":"p","name":"P","status":"active"}`, 422, "team is required"},
		{"wrong spec version", `{"dataProductSpecification":"0.0.2","id":"p","info":{"title":"T","owner":"finance"}}`, 422, "dataProductSpecification"},
		{"port id missing", `{"id":"p","info":{"title":"T","owner":"finance"},"outputPorts":[{"name":"P"}]}`, 422, "outputPorts[0].id is required"},
		{"autoApprove not a boolean", `{"id":"p","info":{"title":"T","owner":"finance"},"outputPorts":[{"id":"o","name":"O","autoApprove":"yes"}]}`, 422, "outputPorts[0].autoApprove must be a boolean"},
		{"custom values are strings", `{"id":"p","info":{"title":"T","owner":"finance"},"custom":{"n":1}}`, 422, "custom.n must be a string"},
		{"input port without source system", `{"id":"p","info":{"title":"T","owner":"finance"},"inputPorts":[{"id":"i","name":"I"}]}`, 422, "inputPorts[0].sourceSystemId is required"},
		{"asset ref without id", `{"id":"p","info":{"title":"T","owner":"finance"},"assets":[{"tags":["x"]}]}`, 422, "assets[0].assetId is required"},
		{"duplicate port ids", `{"id":"p","info":{"title":"T","owner":"finance"},"outputPorts":[{"id":"o","name":"O"},{"id":"o","name":"O2"}]}`, 422, "duplicate output port id"},
		{"not an object", `[1,2]`, 422, "JSON object"},
		{"malformed", `{"id":`, 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.do("PUT", "/api/dataproducts/p", tc.body).problem(t, tc.status, tc.detail)
		})
	}
	if len(h.srv.DataProductIDs()) != 0 {
		t.Error("a rejected PUT stored a data product")
	}

	// A disabled type can no longer be used.
	types := h.srv.DataProductTypes()
	for i := range types {
		if types[i].ID == TypePowerBIReport {
			types[i].Enabled = false
		}
	}
	if err := h.srv.PutDataProductTypes(types); err != nil {
		t.Fatal(err)
	}
	h.do("PUT", "/api/dataproducts/p", reportProductJSON("p", "finance")).problem(t, 422, "powerbi-report")
}

func TestDataProductList(t *testing.T) {
	h := newHarness(t, Options{PageSize: 2})
	seedProducts(t, h.srv)
	extra := `{"id":"churn","info":{"title":"Churn Model","owner":"sales","archetype":"powerbi-semantic-model","status":"draft","description":"Customer churn"},"tags":["ml"]}`
	h.do("PUT", "/api/dataproducts/churn", extra).want(t, 200)

	ids := func(q string) (string, string) {
		r := h.do("GET", "/api/dataproducts"+q, nil).want(t, 200)
		var out []string
		for _, it := range r.array(t) {
			out = append(out, it["id"].(string))
			for _, k := range []string{"outputPorts", "inputPorts", "assets"} {
				if _, ok := it[k]; ok {
					t.Errorf("list item %v carries %s", it["id"], k)
				}
			}
		}
		return fmt.Sprint(out), r.header.Get("Link")
	}
	for q, want := range map[string]string{
		"?p=1":                          "[churn]",
		"?archetype=powerbi-report":     "[revenue-report]",
		"?teamId=sales":                 "[revenue-report churn]",
		"?teamId=finance&teamId=nobody": "[snowflake-orders]",
		"?status=draft":                 "[churn]",
		"?q=CHURN customer":             "[churn]",
		"?q=churn orders":               "[]",
		"?tag=ml":                       "[churn]",
	} {
		if got, _ := ids(strings.ReplaceAll(q, " ", "%20")); got != want {
			t.Errorf("%s: %s, want %s", q, got, want)
		}
	}
	if got, link := ids(""); got != "[snowflake-orders revenue-report]" || !strings.Contains(link, "p=1") {
		t.Errorf("first page %s, Link %q", got, link)
	}
	list := h.do("GET", "/api/dataproducts", nil).array(t)
	if list[0]["info"].(map[string]any)["title"] != "Orders" || list[0]["dataProductSpecification"] != "0.0.1" {
		t.Errorf("list keeps top-level properties: %v", list[0])
	}
}

func TestDataProductDelete(t *testing.T) {
	clock := &fixedClock{t: mustTime("2026-03-10T12:00:00Z")}
	h := newHarness(t, Options{Now: clock.now})
	seedProducts(t, h.srv)
	access := map[string]any{
		"id":       "report-uses-orders",
		"info":     map[string]any{"purpose": "revenue reporting"},
		"provider": map[string]any{"dataProductId": "snowflake-orders", "outputPortId": "orders"},
		"consumer": map[string]any{"dataProductId": "revenue-report"},
	}
	h.do("PUT", "/api/access/report-uses-orders", access).want(t, 200)
	h.do("POST", "/api/access/report-uses-orders/approve", nil).want(t, 200)
	h.do("DELETE", "/api/dataproducts/snowflake-orders", nil).problem(t, 422, "still used in the active access 'report-uses-orders'")
	h.do("POST", "/api/access/report-uses-orders/cancel", nil).want(t, 200)
	h.do("DELETE", "/api/dataproducts/snowflake-orders", nil).want(t, 200)
	h.do("GET", "/api/dataproducts/snowflake-orders", nil).problem(t, 404)
	h.do("DELETE", "/api/dataproducts/snowflake-orders", nil).problem(t, 404)

	// The access survives its provider and reports it as "unknown", as documented.
	a := h.do("GET", "/api/access/report-uses-orders", nil).want(t, 200).object(t)
	p := a["provider"].(map[string]any)
	if p["dataProductId"] != "unknown" || p["outputPortId"] != "unknown" {
		t.Errorf("provider %v", p)
	}
}

// An ODPS document is stored and returned as given; the server reads its
// owner, type, ports and asset links.
func TestDataProductODPSStoredAsGiven(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	body := `{"apiVersion":"v1.0.0","kind":"DataProduct","id":"p","name":"P","status":"active","domain":"sales",
		"team":{"name":"finance"},"support":[{"channel":"#p","url":"https://chat"}],
		"customProperties":[{"property":"type","value":"powerbi-report"},{"property":"sla","value":{"hours":4}},{"property":"assets","value":[{"assetId":"a1"}]}],
		"outputPorts":[{"name":"o","version":"1","customProperties":[{"property":"assets","value":[{"assetId":"a2"}]}]}]}`
	h.do("PUT", "/api/dataproducts/p", body).want(t, 200)
	got := h.do("GET", "/api/dataproducts/p", nil).want(t, 200)
	if string(got.body) != strings.Join(strings.Fields(body), "") {
		t.Errorf("GET %s", got.body)
	}
	if users := h.srv.productsUsingAsset("a2"); len(users) != 1 {
		t.Errorf("the port's asset link is not read: %v", users)
	}
	if list := h.do("GET", "/api/dataproducts?archetype=powerbi-report&domainId=sales", nil).want(t, 200); !strings.Contains(string(list.body), `"id":"p"`) {
		t.Errorf("list by type and domain: %s", list.body)
	}
}

// A server that answers in ODPS stores a DPS body converted.
func TestDataProductsODPSOption(t *testing.T) {
	h := newHarness(t, Options{DataProductsODPS: true})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/dataproducts/p", `{"dataProductSpecification":"0.0.1","id":"p",
		"info":{"title":"P","owner":"finance","description":"d","archetype":"powerbi-semantic-model"},
		"custom":{"costCenter":"1"},"assets":[{"assetId":"a1"}],
		"outputPorts":[{"id":"semantic-model","name":"Revenue","type":"powerbi","autoApprove":true,"assets":[{"assetId":"a1"}]}]}`).want(t, 200)
	got := h.do("GET", "/api/dataproducts/p", nil).want(t, 200).object(t)
	if got["kind"] != "DataProduct" || got["name"] != "P" || fmt.Sprint(got["team"]) != "map[name:finance]" ||
		fmt.Sprint(got["description"]) != "map[purpose:d]" {
		t.Errorf("not ODPS: %v", got)
	}
	port := got["outputPorts"].([]any)[0].(map[string]any)
	if port["name"] != "semantic-model" || !strings.Contains(fmt.Sprint(port["customProperties"]), "displayName value:Revenue") {
		t.Errorf("port %v", port)
	}
	if users := h.srv.productsUsingAsset("a1"); len(users) != 1 {
		t.Errorf("asset links: %v", users)
	}
}
