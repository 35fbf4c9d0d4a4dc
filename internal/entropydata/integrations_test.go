package entropydata

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The integration write contract (project design, not in the public spec):
// PUT /api/integrations/ingest/{externalId} with
// {configuration:{source,name,description,scheduleExpression,assetOwnerTeamExternalId,
// filters:{workspaces,semanticModels,reports each {include,exclude}}},
// credential:{type:"service_principal",details:{tenantId,clientId,clientSecret}}, enabled}.
func TestPutIntegrationWireShape(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(200) })
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	full := IntegrationWrite{
		Configuration: IntegrationConfiguration{
			Source: SourcePowerBI, Name: "Finance Power BI", Description: "Finance workspaces",
			ScheduleExpression: ptr("0 0 6 * * ?"), AssetOwnerTeamExternalID: "finance",
			Filters: IntegrationFilters{
				Workspaces:     PatternFilter{Include: []string{"Finance*"}, Exclude: []string{"*Sandbox*"}},
				SemanticModels: PatternFilter{Include: []string{"*"}},
				Reports:        PatternFilter{Exclude: []string{"*(old)"}},
			},
		},
		Credential: &Credential{Type: CredentialTypeServicePrincipal, Details: ServicePrincipal{
			TenantID: "11111111-1111-1111-1111-111111111111", ClientID: "22222222-2222-2222-2222-222222222222", ClientSecret: "s3cr3t",
		}},
		Enabled: ptr(true),
	}
	if err := c.PutIntegration(ctx, "finance-powerbi", full); err != nil {
		t.Fatal(err)
	}
	// Update without credential, manual schedule, no filters, enabled unset.
	if err := c.PutIntegration(ctx, "finance-powerbi", IntegrationWrite{
		Configuration: IntegrationConfiguration{Source: SourcePowerBI, Name: "Finance Power BI"},
	}); err != nil {
		t.Fatal(err)
	}

	reqs := srv.requests()
	for _, r := range reqs {
		if r.Method != http.MethodPut || r.Path != "/api/integrations/ingest/finance-powerbi" {
			t.Errorf("request %s %s", r.Method, r.Path)
		}
	}
	assertJSONEqual(t, reqs[0].Body, `{
		"configuration": {
			"source": "powerbi",
			"name": "Finance Power BI",
			"description": "Finance workspaces",
			"scheduleExpression": "0 0 6 * * ?",
			"assetOwnerTeamExternalId": "finance",
			"filters": {
				"workspaces":     {"include": ["Finance*"], "exclude": ["*Sandbox*"]},
				"semanticModels": {"include": ["*"], "exclude": []},
				"reports":        {"include": [], "exclude": ["*(old)"]}
			}
		},
		"credential": {
			"type": "service_principal",
			"details": {
				"tenantId": "11111111-1111-1111-1111-111111111111",
				"clientId": "22222222-2222-2222-2222-222222222222",
				"clientSecret": "s3cr3t"
			}
		},
		"enabled": true
	}`)
	assertJSONEqual(t, reqs[1].Body, `{
		"configuration": {
			"source": "powerbi",
			"name": "Finance Power BI",
			"description": "",
			"scheduleExpression": null,
			"filters": {
				"workspaces":     {"include": [], "exclude": []},
				"semanticModels": {"include": [], "exclude": []},
				"reports":        {"include": [], "exclude": []}
			}
		}
	}`)
}

func TestEnabledFalseIsSent(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(200) })
	c, _ := newClient(t, srv.URL)
	if err := c.PutIntegration(context.Background(), "x", IntegrationWrite{Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	body := string(srv.requests()[0].Body)
	if want := `"enabled":false`; !strings.Contains(body, want) {
		t.Errorf("body %s lacks %s", body, want)
	}
}

// Documented example of GET /api/integrations/{externalId} (an Integration
// with its configuration inlined; the official CLI's fixture), plus a Power
// BI configuration in the project's wire shape.
const (
	documentedIntegration = `{"externalId":"demo-snowflake","name":"Demo Snowflake","source":"snowflake","enabled":true,
		"assetOwnerTeamExternalId":"platform-team",
		"configuration":{"externalId":"demo-snowflake","source":"snowflake","name":"Demo Snowflake",
			"scheduleExpression":"0 0 6 * * ?","filters":{"databases":["DP_*"]}}}`
	powerBIIntegration = `{"externalId":"finance-powerbi","name":"Finance Power BI","source":"powerbi","enabled":false,
		"assetOwnerTeamExternalId":null,
		"configuration":{"source":"powerbi","name":"Finance Power BI","description":"d","scheduleExpression":null,
			"filters":{"workspaces":{"include":["Finance*"],"exclude":[]},"semanticModels":{"include":[],"exclude":[]},"reports":{"include":[],"exclude":["*(old)"]}}}}`
)

func TestGetIntegrationDecodesDocumentedExample(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/api/integrations/demo-snowflake":
			writeJSON(w, 200, documentedIntegration)
		case "/api/integrations/finance-powerbi":
			writeJSON(w, 200, powerBIIntegration)
		default:
			writeProblem(w, 404, problem404)
		}
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	got, err := c.GetIntegration(ctx, "demo-snowflake")
	if err != nil {
		t.Fatal(err)
	}
	cfg := got.Configuration
	got.Configuration = nil
	want := &Integration{
		ExternalID: "demo-snowflake", Name: "Demo Snowflake", Source: "snowflake", Enabled: true,
		AssetOwnerTeamExternalID: ptr("platform-team"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetIntegration =\n %+v\nwant\n %+v", got, want)
	}
	if cfg == nil || cfg.Source != "snowflake" || cfg.Name != "Demo Snowflake" || *cfg.ScheduleExpression != "0 0 6 * * ?" ||
		!reflect.DeepEqual(cfg.Unrecognized, []Unrecognized{{"configuration.filters.databases", OnWriteKept}}) {
		t.Errorf("configuration = %+v", cfg)
	}

	got, err = c.GetIntegration(ctx, "finance-powerbi")
	if err != nil {
		t.Fatal(err)
	}
	if got.AssetOwnerTeamExternalID != nil || got.Enabled || got.Configuration == nil ||
		got.Configuration.ScheduleExpression != nil ||
		!reflect.DeepEqual(got.Configuration.Filters.Workspaces.Include, []string{"Finance*"}) ||
		!reflect.DeepEqual(got.Configuration.Filters.Reports.Exclude, []string{"*(old)"}) {
		t.Errorf("power bi integration decoded as %+v / %+v", got, got.Configuration)
	}
	if srv.requests()[0].Path != "/api/integrations/demo-snowflake" {
		t.Errorf("read path %q, want the documented /api/integrations/{externalId}", srv.requests()[0].Path)
	}

	if _, err := c.GetIntegration(ctx, "gone"); !IsNotFound(err) {
		t.Errorf("missing integration: %v", err)
	}
}

func TestIntegrationReadAndRunEndpoints(t *testing.T) {
	const run = `{"ingestionRunId":"aaaa1111-0000-4000-8000-000000000001","integrationExternalId":"finance-powerbi",
		"status":"SUCCESS","message":null,"assetsProcessed":1256,"assetsCreated":5,"assetsUpdated":1251,"assetsDeleted":0,
		"startedAt":"2026-05-19T07:13:00Z","completedAt":"2026-05-19T07:43:00Z"}`
	const running = `{"ingestionRunId":"aaaa1111-0000-4000-8000-000000000002","integrationExternalId":"finance-powerbi",
		"status":"RUNNING","message":"Scanning workspaces","assetsProcessed":3,"assetsCreated":0,"assetsUpdated":0,"assetsDeleted":0,
		"startedAt":"2026-05-20T07:43:01Z","completedAt":null}`
	routes := map[string]struct {
		status int
		body   string
	}{
		"GET /api/integrations":                                                           {200, `[{"externalId":"finance-powerbi","name":"Finance Power BI","source":"powerbi","enabled":true,"latestRun":` + running + `}]`},
		"GET /api/integrations/finance-powerbi/runs":                                      {200, `[` + running + `,` + run + `]`},
		"GET /api/integrations/finance-powerbi/runs/latest":                               {200, running},
		"GET /api/integrations/finance-powerbi/runs/aaaa1111-0000-4000-8000-000000000001": {200, run},
		"POST /api/integrations/finance-powerbi/run":                                      {202, `{"integrationExternalId":"finance-powerbi","scheduledAt":"2026-05-20T07:43:00Z","deferred":false,"message":"Run scheduled; poll /runs/latest for status."}`},
		"POST /api/integrations/finance-powerbi/cancel":                                   {204, ``},
		"DELETE /api/integrations/ingest/finance-powerbi":                                 {200, ``},
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		rt, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			writeProblem(w, 404, problem404)
			return
		}
		if rt.body == "" {
			w.WriteHeader(rt.status)
			return
		}
		writeJSON(w, rt.status, rt.body)
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	list, err := c.ListIntegrations(ctx, ListIntegrationsOptions{Source: SourcePowerBI, OwningTeamExternalID: "finance", Enabled: ptr(false)})
	if err != nil || len(list) != 1 || list[0].LatestRun == nil || list[0].LatestRun.Status != RunRunning || list[0].Configuration != nil {
		t.Fatalf("ListIntegrations = %+v, %v", list, err)
	}
	if q := srv.requests()[0].Query; q.Get("source") != "powerbi" || q.Get("owningTeamExternalId") != "finance" || q.Get("enabled") != "false" || q.Has("p") {
		t.Errorf("list query = %v", q)
	}

	runs, err := c.ListRuns(ctx, "finance-powerbi", ListRunsOptions{Limit: 500, Status: RunSuccess})
	if err != nil || len(runs) != 2 {
		t.Fatalf("ListRuns = %v, %v", runs, err)
	}
	if q := srv.requests()[1].Query; q.Get("limit") != "200" || q.Get("status") != "SUCCESS" {
		t.Errorf("runs query = %v (limit is capped at the API's 200)", q)
	}
	wantRun := IngestionRun{
		ID: "aaaa1111-0000-4000-8000-000000000001", IntegrationExternalID: "finance-powerbi", Status: RunSuccess,
		AssetsProcessed: 1256, AssetsCreated: 5, AssetsUpdated: 1251,
		StartedAt:   time.Date(2026, 5, 19, 7, 13, 0, 0, time.UTC),
		CompletedAt: ptr(time.Date(2026, 5, 19, 7, 43, 0, 0, time.UTC)),
	}
	if !reflect.DeepEqual(runs[1], wantRun) {
		t.Errorf("run = %+v, want %+v", runs[1], wantRun)
	}

	latest, err := c.GetLatestRun(ctx, "finance-powerbi")
	if err != nil || latest.Status != RunRunning || latest.CompletedAt != nil || latest.Message == nil || *latest.Message != "Scanning workspaces" {
		t.Fatalf("GetLatestRun = %+v, %v", latest, err)
	}
	if _, err := c.GetLatestRun(ctx, "never-ran"); !IsNotFound(err) {
		t.Errorf("latest run of an integration that never ran: %v", err)
	}

	one, err := c.GetRun(ctx, "finance-powerbi", "aaaa1111-0000-4000-8000-000000000001")
	if err != nil || !reflect.DeepEqual(*one, wantRun) {
		t.Fatalf("GetRun = %+v, %v", one, err)
	}
	if _, err := c.GetRun(ctx, "other", "aaaa1111-0000-4000-8000-000000000001"); !IsNotFound(err) ||
		!strings.Contains(err.Error(), `get ingestion run "other/aaaa1111-0000-4000-8000-000000000001"`) {
		t.Errorf("run of another integration: %v", err)
	}

	trig, err := c.TriggerRun(ctx, "finance-powerbi")
	want := &TriggerRunResponse{IntegrationExternalID: "finance-powerbi", ScheduledAt: time.Date(2026, 5, 20, 7, 43, 0, 0, time.UTC),
		Message: "Run scheduled; poll /runs/latest for status."}
	if err != nil || !reflect.DeepEqual(trig, want) {
		t.Fatalf("TriggerRun = %+v, %v", trig, err)
	}

	if err := c.CancelRun(ctx, "finance-powerbi"); err != nil {
		t.Fatalf("CancelRun: %v", err)
	}

	if err := c.DeleteIntegration(ctx, "finance-powerbi", true); err != nil {
		t.Fatalf("DeleteIntegration: %v", err)
	}
	if err := c.DeleteIntegration(ctx, "finance-powerbi", false); err != nil {
		t.Fatalf("DeleteIntegration: %v", err)
	}
	reqs := srv.requests()
	if q := reqs[len(reqs)-2].Query; q.Get("deleteAssets") != "true" {
		t.Errorf("delete with assets: query %v", q)
	}
	if q := reqs[len(reqs)-1].Query; len(q) != 0 {
		t.Errorf("delete without assets: query %v", q)
	}
	if err := c.DeleteIntegration(ctx, "gone", false); !IsNotFound(err) {
		t.Errorf("deleting a missing integration: %v, want ErrNotFound", err)
	}
}

func TestIngestionsAvailable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		want    bool
		wantErr error
	}{
		{"enabled", 200, `[]`, true, nil},
		{"disabled on a self-hosted server", 404, problem404, false, nil},
		{"bad key", 403, problem403, false, ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if r.Method != http.MethodGet || r.URL.Path != "/api/integrations" {
					t.Errorf("probe %s %s", r.Method, r.URL.Path)
				}
				writeProblem(w, tc.status, tc.body)
			})
			c, _ := newClient(t, srv.URL)
			got, err := c.IngestionsAvailable(context.Background())
			if got != tc.want || (tc.wantErr == nil) != (err == nil) || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Errorf("IngestionsAvailable = %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// A configuration of another shape than the design's decodes: flat filter
// lists, a single pattern, missing and null parts, unknown keys anywhere, an
// empty schedule; what is not understood is listed, never an error.
func TestGetIntegrationReadsOtherShapes(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		want         IntegrationFilters
		schedule     *string
		unrecognized []Unrecognized
	}{
		{"flat lists", `{"source":"fabric","name":"n","filters":{"workspaces":["Finance*"],"reports":"Sales"}}`,
			IntegrationFilters{Workspaces: PatternFilter{Include: []string{"Finance*"}}, Reports: PatternFilter{Include: []string{"Sales"}}}, nil, nil},
		{"no filters, no schedule", `{"source":"powerbi","name":"n"}`, IntegrationFilters{}, nil, nil},
		{"null and empty", `{"source":"powerbi","name":"n","scheduleExpression":"","filters":null,"description":null}`, IntegrationFilters{}, nil, nil},
		{"unknown keys", `{"source":"powerbi","name":"n","scheduleExpression":"0 0 6 * * ?","options":{"x":1},
			"filters":{"datasets":["a"],"workspaces":{"include":["A"],"exclude":null,"mode":"glob"}}}`,
			IntegrationFilters{Workspaces: PatternFilter{Include: []string{"A"}}}, ptr("0 0 6 * * ?"),
			[]Unrecognized{{"configuration.filters.datasets", OnWriteKept}, {"configuration.filters.workspaces.mode", OnWriteKept}, {"configuration.options", OnWriteKept}}},
		{"wrong types", `{"source":"powerbi","name":"n","scheduleExpression":6,"filters":{"reports":{"include":7}}}`,
			IntegrationFilters{}, nil,
			[]Unrecognized{{"configuration.filters.reports.include", OnWriteReplaced}, {"configuration.scheduleExpression", OnWriteReplaced}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, 200, `{"externalId":"x","name":"n","source":"powerbi","enabled":true,"unknownTop":{"a":[1]},
					"latestRun":{"status":"SUCCESS","startedAt":"yesterday"},"configuration":`+tc.config+`}`)
			})
			c, _ := newClient(t, srv.URL)
			got, err := c.GetIntegration(context.Background(), "x")
			if err != nil {
				t.Fatal(err)
			}
			cfg := got.Configuration
			if !reflect.DeepEqual(cfg.Filters, tc.want) || !reflect.DeepEqual(cfg.ScheduleExpression, tc.schedule) ||
				!reflect.DeepEqual(cfg.Unrecognized, tc.unrecognized) || got.LatestRun != nil {
				t.Errorf("decoded %+v (latest run %+v)", cfg, got.LatestRun)
			}
		})
	}
}

// A write after a read starts from the stored configuration: unknown keys
// survive, a flat list stays flat, absent kinds stay absent, the source
// stays as stored.
func TestPutIntegrationOverlaysStoredConfiguration(t *testing.T) {
	const stored = `{"externalId":"x","name":"old","source":"fabric","enabled":true,"configuration":{
		"externalId":"x","source":"fabric","name":"old","options":{"importHidden":true},
		"filters":{"workspaces":["Finance*"],"datasets":["keep"],"reports":{"include":["A"],"mode":"glob"}}}}`
	srv := storedDocumentServer(t, stored)
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()
	in, err := c.GetIntegration(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	cfg := *in.Configuration
	cfg.Name = "new"
	cfg.ScheduleExpression = ptr("0 0 6 * * ?")
	cfg.Filters.Workspaces.Include = []string{"Finance*", "Sales"}
	cfg.Filters.Reports = PatternFilter{Exclude: []string{"*(old)"}}
	if err := c.PutIntegration(ctx, "x", IntegrationWrite{Configuration: cfg}); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[1].Body, `{"configuration":{
		"externalId":"x","source":"fabric","name":"new","scheduleExpression":"0 0 6 * * ?","options":{"importHidden":true},
		"filters":{"workspaces":["Finance*","Sales"],"datasets":["keep"],"reports":{"include":[],"exclude":["*(old)"],"mode":"glob"}}}}`)

	// An exclude turns a flat list into an object.
	cfg.Filters.Workspaces.Exclude = []string{"*Test*"}
	if err := c.PutIntegration(ctx, "x", IntegrationWrite{Configuration: cfg}); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Configuration struct {
			Filters map[string]json.RawMessage `json:"filters"`
		} `json:"configuration"`
	}
	if err := json.Unmarshal(srv.requests()[2].Body, &body); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, body.Configuration.Filters["workspaces"], `{"include":["Finance*","Sales"],"exclude":["*Test*"]}`)
}
