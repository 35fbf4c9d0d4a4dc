package entropydata

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// route answers one "METHOD /path" in routeServer.
type route struct {
	status int
	body   string
	link   string // Link header, for paging
}

// routeServer answers by method and decoded path; anything else is a 404 problem.
func routeServer(t *testing.T, routes map[string]route) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		key := r.Method + " " + r.URL.Path
		if p := r.URL.Query().Get("p"); p != "" {
			key += "?p=" + p
		}
		rt, ok := routes[key]
		if !ok {
			writeProblem(w, 404, `{"title":"Not Found","status":404,"detail":"no route `+key+`"}`)
			return
		}
		if rt.link != "" {
			w.Header().Set("Link", rt.link)
		}
		if rt.body == "" {
			w.WriteHeader(rt.status)
			return
		}
		writeJSON(w, rt.status, rt.body)
	})
}

func TestAssets(t *testing.T) {
	// A Power BI table asset in the project's asset wire shape.
	const table = `{"id":"powerbi-6f0c-sales","info":{"owner":"finance","source":"powerbi","sourceId":"6f0c","sourceUrl":"https://app.powerbi.com/x",
		"type":"powerbi_table","name":"Sales","status":"active","description":"Sales facts"},
		"custom":{"integrationExternalId":"finance-powerbi","workspaceId":"w1","nested":{"a":1}},
		"columns":[{"name":"amount","type":"decimal","description":"Net","required":true,"primaryKey":true,"tags":["pii:false"],
			"properties":[{"name":"currency","type":"string"}],"items":{"name":"el","type":"int"}}],
		"relationships":[{"relationshipType":"parent","assetId":"powerbi-6f0c"}],
		"tags":["finance"],"links":{"powerbi":"https://app.powerbi.com/x"}}`
	srv := routeServer(t, map[string]route{
		"GET /api/assets/powerbi-6f0c-sales": {200, table, ""},
		"PUT /api/assets/powerbi-6f0c-sales": {200, "", ""},
		"DELETE /api/assets/used":            {422, `{"status":422,"detail":"Data asset cannot be deleted, it is still used in a data product"}`, ""},
		"DELETE /api/assets/powerbi-6f0c":    {200, "", ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	a, err := c.GetAsset(ctx, "powerbi-6f0c-sales")
	if err != nil {
		t.Fatal(err)
	}
	want := &Asset{
		ID: "powerbi-6f0c-sales",
		Info: AssetInfo{Owner: "finance", Source: "powerbi", SourceID: "6f0c", SourceURL: "https://app.powerbi.com/x",
			Type: "powerbi_table", Name: "Sales", Status: "active", Description: "Sales facts"},
		Custom: map[string]any{"integrationExternalId": "finance-powerbi", "workspaceId": "w1", "nested": map[string]any{"a": float64(1)}},
		Columns: []AssetColumn{{Name: "amount", Type: "decimal", Description: "Net", Required: true, PrimaryKey: true, Tags: []string{"pii:false"},
			Properties: []AssetColumn{{Name: "currency", Type: "string"}}, Items: &AssetColumn{Name: "el", Type: "int"}}},
		Relationships: []AssetRelationship{{RelationshipType: "parent", AssetID: "powerbi-6f0c"}},
		Tags:          []string{"finance"}, Links: map[string]string{"powerbi": "https://app.powerbi.com/x"},
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("GetAsset =\n%+v\nwant\n%+v", a, want)
	}

	if err := c.PutAsset(ctx, *want); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[1].Body, table) // round trip is lossless

	if err := c.PutAsset(ctx, Asset{ID: "powerbi-6f0c-sales", Info: AssetInfo{Name: "Sales"}}); err != nil {
		t.Fatal(err)
	}
	// Optional fields are omitted, not sent as null or "".
	assertJSONEqual(t, srv.requests()[2].Body, `{"id":"powerbi-6f0c-sales","info":{"name":"Sales"}}`)

	if err := c.DeleteAsset(ctx, "used"); !isValidation(err) {
		t.Errorf("delete used asset: %v", err)
	}
	if err := c.DeleteAsset(ctx, "powerbi-6f0c"); err != nil {
		t.Errorf("DeleteAsset: %v", err)
	}
}

func isValidation(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Is(ErrValidation)
}

// The spec's DPS example (components.examples.dataproductspecification), trimmed.
const dpsExample = `{"dataProductSpecification":"0.0.1","id":"shelf-warmers",
	"info":{"title":"Shelf Warmers","description":"A list of articles with no sales in last 6 months","owner":"fulfillment","status":"active","archetype":"consumer-aligned"},
	"inputPorts":[],
	"outputPorts":[{"id":"shelf-warmers-v1","name":"Shelf Warmers","description":"A list of articles with no sales in last 6 months","type":"snowflake",
		"server":{"schema":"SHELF_WARMERS","account":"lmtrwxs-xn14859","database":"FULFILLMENT_DB"},"status":"active","autoApprove":false,"containsPii":false,
		"dataContractId":"shelf-warmers-v1","tags":[],"links":{"Snowflake WebUI":"https://example.com"},"custom":{"platformRole":"op_shelf_warmers_v1_role"},"assets":[]}],
	"tags":["demo"],"links":{},"custom":{"platformRole":"dp_shelf_warmers_role"},"assets":[{"assetId":"powerbi-abc","tags":["main"]}]}`

// The spec's ODPS example (components.examples.opendataproductstandard), trimmed.
const odpsExample = `{"apiVersion":"v1.0.0","kind":"DataProduct","id":"shelf-warmers","name":"Shelf Warmers","status":"active",
	"authoritativeDefinitions":[],"description":{"purpose":"A list of articles with no sales in last 6 months"},
	"customProperties":[{"property":"platformRole","value":"dp_shelf_warmers_role"},{"property":"type","value":"consumer-aligned"}],
	"tags":["demo"],"inputPorts":[],
	"outputPorts":[{"name":"shelf-warmers-v1","version":"","description":"d","type":"snowflake","contractId":"ec9c94cd",
		"authoritativeDefinitions":[{"type":"Snowflake WebUI","url":"https://example.com"}],
		"customProperties":[{"property":"platformRole","value":"op_role"},{"property":"status","value":"active"},
			{"property":"autoApprove","value":true},{"property":"containsPii","value":false},
			{"property":"server","value":{"schema":"SHELF_WARMERS"}},{"property":"environment","value":"prod"}],"tags":[]}],
	"managementPorts":[],"team":{"name":"fulfillment"}}`

func TestDataProducts(t *testing.T) {
	srv := routeServer(t, map[string]route{
		"GET /api/dataproducts/shelf-warmers":  {200, dpsExample, ""},
		"GET /api/dataproducts/odps":           {200, odpsExample, ""},
		"PUT /api/dataproducts/revenue-model":  {200, "", ""},
		"DELETE /api/dataproducts/in-use":      {422, `{"status":422,"detail":"still used in an active access"}`, ""},
		"GET /api/dataproducts":                {200, `[{"dataProductSpecification":"0.0.1","id":"a","info":{"title":"A","owner":"o"}}]`, `</api/dataproducts?p=1>; rel="next"`},
		"GET /api/dataproducts?p=1":            {200, `[` + odpsExample + `]`, ""},
		"DELETE /api/dataproducts/revenue-old": {200, "", ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	dp, err := c.GetDataProduct(ctx, "shelf-warmers")
	if err != nil {
		t.Fatal(err)
	}
	if dp.DataProductSpecification != "0.0.1" || dp.Info.Owner != "fulfillment" || dp.Info.Archetype != "consumer-aligned" ||
		len(dp.OutputPorts) != 1 || dp.OutputPorts[0].AutoApprove == nil || *dp.OutputPorts[0].AutoApprove ||
		dp.OutputPorts[0].Server["database"] != "FULFILLMENT_DB" || dp.OutputPorts[0].DataContractID != "shelf-warmers-v1" ||
		!reflect.DeepEqual(dp.Assets, []AssetRef{{AssetID: "powerbi-abc", Tags: []string{"main"}}}) {
		t.Errorf("DPS decoded as %+v", dp)
	}

	odps, err := c.GetDataProduct(ctx, "odps")
	if err != nil {
		t.Fatal(err)
	}
	wantODPS := &DataProduct{
		ID:     "shelf-warmers",
		Info:   DataProductInfo{Title: "Shelf Warmers", Owner: "fulfillment", Description: "A list of articles with no sales in last 6 months", Status: "active", Archetype: "consumer-aligned"},
		Custom: map[string]string{"platformRole": "dp_shelf_warmers_role"},
		Tags:   []string{"demo"},
		OutputPorts: []OutputPort{{
			ID: "shelf-warmers-v1", Name: "shelf-warmers-v1", Description: "d", Type: "snowflake", Status: "active", DataContractID: "ec9c94cd",
			AutoApprove: ptr(true), ContainsPii: ptr(false), Server: map[string]any{"schema": "SHELF_WARMERS"},
			Links:  map[string]string{"Snowflake WebUI": "https://example.com"},
			Custom: map[string]string{"platformRole": "op_role", "environment": "prod"}, Tags: []string{},
		}},
	}
	if !odps.ODPS() {
		t.Error("the ODPS answer is not marked as ODPS")
	}
	odps.raw, odps.odps = nil, false
	if !reflect.DeepEqual(odps, wantODPS) {
		t.Errorf("ODPS decoded as\n%+v\nwant\n%+v", odps, wantODPS)
	}

	err = c.PutDataProduct(ctx, DataProduct{
		ID:   "revenue-model",
		Info: DataProductInfo{Title: "Revenue Model", Owner: "finance", Archetype: DataProductTypePowerBISemanticModel, Status: "active"},
		OutputPorts: []OutputPort{{ID: "model", Name: "Revenue Model", Type: "powerbi", AutoApprove: ptr(false),
			Assets: []AssetRef{{AssetID: "powerbi-6f0c"}}}},
		Assets: []AssetRef{{AssetID: "powerbi-6f0c"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[2].Body, `{"dataProductSpecification":"0.0.1","id":"revenue-model",
		"info":{"title":"Revenue Model","owner":"finance","status":"active","archetype":"powerbi-semantic-model"},
		"outputPorts":[{"id":"model","name":"Revenue Model","type":"powerbi","autoApprove":false,"assets":[{"assetId":"powerbi-6f0c"}]}],
		"assets":[{"assetId":"powerbi-6f0c"}]}`)

	if err := c.DeleteDataProduct(ctx, "in-use"); !isValidation(err) {
		t.Errorf("delete in-use product: %v", err)
	}
	if err := c.DeleteDataProduct(ctx, "revenue-old"); err != nil {
		t.Errorf("DeleteDataProduct: %v", err)
	}

	all, err := c.ListDataProducts(ctx, ListDataProductsOptions{})
	if err != nil || len(all) != 2 || all[0].ID != "a" || all[1].Info.Title != "Shelf Warmers" {
		t.Fatalf("ListDataProducts = %+v, %v", all, err)
	}
}

func TestAccess(t *testing.T) {
	const stored = `{"id":"acc-1","info":{"purpose":"Lineage","status":"approved","active":true,"startDate":"2026-01-01"},
		"provider":{"dataProductId":"snowflake-orders","outputPortId":"orders","teamId":"data","dataContractId":"orders-v1","dataContractVersion":"1.0.0"},
		"consumer":{"dataProductId":"revenue-model","teamId":"finance"},
		"provisioning":{"status":"provisioned","platform":null,"provisionedAt":"2026-01-02T03:04:05Z"},
		"tags":["lineage"],"custom":{"createdBy":"terraform"}}`
	srv := routeServer(t, map[string]route{
		"GET /api/access/acc-1":          {200, stored, ""},
		"PUT /api/access/acc-1":          {200, "", ""},
		"POST /api/access/acc-1/approve": {200, "", ""},
		"POST /api/access/acc-1/reject":  {200, "", ""},
		"POST /api/access/acc-1/cancel":  {200, "", ""},
		"DELETE /api/access/acc-1":       {200, "", ""},
		"GET /api/access":                {200, `[` + stored + `]`, `</api/access?p=1&pageSize=500>; rel="next"`},
		"GET /api/access?p=1":            {200, `[]`, ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	a, err := c.GetAccess(ctx, "acc-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Info.Status != AccessApproved || !a.Info.Active || a.Provider.DataContractVersion != "1.0.0" || a.Consumer.DataProductID != "revenue-model" ||
		a.Provisioning == nil || a.Provisioning.Status != "provisioned" || a.Provisioning.Platform != nil ||
		!a.Provisioning.ProvisionedAt.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("GetAccess = %+v", a)
	}

	// Read-only fields from the GET must not be sent back.
	if err := c.PutAccess(ctx, *a); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[1].Body, `{"id":"acc-1","info":{"purpose":"Lineage","startDate":"2026-01-01"},
		"provider":{"dataProductId":"snowflake-orders","outputPortId":"orders","teamId":"data"},
		"consumer":{"dataProductId":"revenue-model","teamId":"finance"},
		"tags":["lineage"],"custom":{"createdBy":"terraform"}}`)

	for name, f := range map[string]func(context.Context, string) error{
		"approve": c.ApproveAccess, "reject": c.RejectAccess, "cancel": c.CancelAccess, "delete": c.DeleteAccess,
	} {
		if err := f(ctx, "acc-1"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := f(ctx, "missing"); !IsNotFound(err) {
			t.Errorf("%s of a missing access: %v", name, err)
		}
	}

	list, err := c.ListAccess(ctx, ListAccessOptions{ProviderDataProductID: "snowflake-orders", ConsumerDataProductID: "revenue-model", ConsumerType: "dataproduct", PageSize: 500})
	if err != nil || len(list) != 1 {
		t.Fatalf("ListAccess = %v, %v", list, err)
	}
	reqs := srv.requests()
	q := reqs[len(reqs)-1].Query
	if q.Get("p") != "1" || q.Get("providerDataProductId") != "snowflake-orders" || q.Get("consumerDataProductId") != "revenue-model" ||
		q.Get("consumerType") != "dataproduct" || q.Get("pageSize") != "500" {
		t.Errorf("list query = %v", q)
	}
}

func TestTeams(t *testing.T) {
	srv := routeServer(t, map[string]route{
		"GET /api/teams/finance":    {200, `{"id":"finance","name":"Finance","type":"Team","parent":"corp","members":[{"emailAddress":"a@example.com","role":"Owner"}],"custom":{"slack":"#fin"}}`, ""},
		"PUT /api/teams/finance":    {200, "", ""},
		"DELETE /api/teams/finance": {200, "", ""},
		"GET /api/teams":            {200, `[{"id":"a","name":"A","type":"Domain"}]`, `<https://api.entropy-data.com/api/teams?p=1>; rel="next"`},
		"GET /api/teams?p=1":        {200, `[{"id":"b","name":"B","type":"Team"}]`, ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()
	team, err := c.GetTeam(ctx, "finance")
	if err != nil || team.Parent != "corp" || len(team.Members) != 1 || team.Custom["slack"] != "#fin" {
		t.Fatalf("GetTeam = %+v, %v", team, err)
	}
	if err := c.PutTeam(ctx, Team{ID: "finance", Name: "Finance", Type: "Team"}); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[1].Body, `{"id":"finance","name":"Finance","type":"Team"}`)
	if err := c.DeleteTeam(ctx, "finance"); err != nil {
		t.Fatal(err)
	}
	teams, err := c.ListTeams(ctx)
	if err != nil || len(teams) != 2 || teams[1].ID != "b" {
		t.Fatalf("ListTeams = %+v, %v", teams, err)
	}
}

func TestDataProductTypes(t *testing.T) {
	const doc = `{"dataProductTypes":[
		{"id":"source-aligned","outputPorts":true,"behavior":"data-product","labels":{"en":"Source-aligned"},"enabled":true,"default":true,"builtIn":true},
		{"id":"powerbi-report","outputPorts":false,"behavior":"data-consumer","labels":{"en":"Power BI Report"},"enabled":true,"default":false,"builtIn":false}]}`
	srv := routeServer(t, map[string]route{
		"GET /api/settings/dataproduct-types": {200, doc, ""},
		"PUT /api/settings/dataproduct-types": {200, "", ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()
	types, err := c.GetDataProductTypes(ctx)
	if err != nil || len(types) != 2 {
		t.Fatalf("GetDataProductTypes = %v, %v", types, err)
	}
	if want := (DataProductType{ID: "powerbi-report", Behavior: BehaviorDataConsumer, Labels: map[string]string{"en": "Power BI Report"}, Enabled: true}); !reflect.DeepEqual(types[1], want) {
		t.Errorf("type = %+v, want %+v", types[1], want)
	}
	if err := c.PutDataProductTypes(ctx, types); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[1].Body, doc)
}

func TestTestResults(t *testing.T) {
	page := func(from, n int) string {
		s := "["
		for i := from; i < from+n; i++ {
			if i > from {
				s += ","
			}
			s += fmt.Sprintf(`{"id":"r%d","dataContractId":"orders","dataContractVersion":"1.0.0","server":"production",
				"timestampStart":"2024-07-03 10:46:28.195230+00:00","timestampEnd":"2024-07-03T10:46:42Z","result":"passed"}`, i)
		}
		return s + "]"
	}
	srv := routeServer(t, map[string]route{
		"GET /api/test-results":     {200, page(0, 100), `</api/test-results?p=1>; rel="next"`},
		"GET /api/test-results?p=1": {200, page(100, 100), `</api/test-results?p=2>; rel="next"`},
		"GET /api/test-results?p=2": {200, page(200, 3), ""},
		"GET /api/test-results/r1": {200, `{"id":"r1","dataContractId":"orders","dataContractVersion":"1.0.0","server":"production",
			"timestampStart":"2024-07-03T10:46:28Z","timestampEnd":"2024-07-03T10:46:42Z","result":"failed",
			"checks":[{"type":"schema","name":"order_id present","result":"failed","engine":"datacontract-cli","field":"order_id","reason":"missing"}]}`, ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	all, err := c.ListTestResults(ctx, ListTestResultsOptions{DataContractID: "orders", Server: "production"})
	if err != nil || len(all) != 203 || all[202].ID != "r202" {
		t.Fatalf("ListTestResults: %d results, %v", len(all), err)
	}
	wantStart := time.Date(2024, 7, 3, 10, 46, 28, 195230000, time.UTC)
	if !all[0].TimestampStart.Equal(wantStart) || !all[0].TimestampEnd.Equal(time.Date(2024, 7, 3, 10, 46, 42, 0, time.UTC)) || all[0].Result != "passed" {
		t.Errorf("result = %+v", all[0])
	}
	if q := srv.requests()[0].Query; q.Get("dataContractId") != "orders" || q.Get("server") != "production" {
		t.Errorf("query = %v", q)
	}

	before := len(srv.requests())
	latest, err := c.ListTestResults(ctx, ListTestResultsOptions{MaxResults: 5})
	if err != nil || len(latest) != 5 || latest[0].ID != "r0" || len(srv.requests())-before != 1 {
		t.Errorf("MaxResults: %d results after %d requests, %v", len(latest), len(srv.requests())-before, err)
	}

	one, err := c.GetTestResult(ctx, "r1")
	if err != nil || len(one.Checks) != 1 || one.Checks[0].Field != "order_id" {
		t.Fatalf("GetTestResult = %+v, %v", one, err)
	}
}

func TestParseLooseTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2024-07-03T10:46:28Z":        time.Date(2024, 7, 3, 10, 46, 28, 0, time.UTC),
		"2024-07-03 10:46:28.5+02:00": time.Date(2024, 7, 3, 8, 46, 28, 500000000, time.UTC),
		"2024-07-03 10:46:28.195230":  time.Date(2024, 7, 3, 10, 46, 28, 195230000, time.UTC),
		"":                            {},
	} {
		got, err := parseLooseTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseLooseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseLooseTime("yesterday"); err == nil {
		t.Error("parseLooseTime accepted garbage")
	}
}
