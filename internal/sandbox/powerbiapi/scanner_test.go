package powerbiapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var allDemoWorkspaces = []string{
	tenant.DemoWorkspaceFinance, tenant.DemoWorkspaceFinanceSandbox, tenant.DemoWorkspaceSalesAnalytics,
	tenant.DemoWorkspaceMarketing, tenant.DemoWorkspaceHRConfidential, tenant.DemoWorkspaceSupplyChain,
}

func scanBody(ids ...string) string {
	return `{"workspaces":["` + strings.Join(ids, `","`) + `"]}`
}

// startScan posts getInfo and returns the scan ID.
func (e *env) startScan(query string, ids ...string) string {
	e.t.Helper()
	r := e.do(http.MethodPost, v1+"/admin/workspaces/getInfo?"+query, e.token, scanBody(ids...))
	if r.status != http.StatusAccepted {
		e.t.Fatalf("getInfo: %d %s", r.status, r.raw)
	}
	id, _ := r.body["id"].(string)
	if !tenant.IsGUID(id) || r.body["status"] != "NotStarted" ||
		!regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`).MatchString(r.body["createdDateTime"].(string)) {
		e.t.Errorf("getInfo body %s", r.raw)
	}
	if loc := r.header.Get("Location"); loc != e.srv.URL+v1+"/admin/workspaces/scanStatus/"+id {
		e.t.Errorf("Location %q", loc)
	}
	return id
}

func (e *env) pollStatus(id string) string {
	e.t.Helper()
	r := e.get(v1 + "/admin/workspaces/scanStatus/" + id)
	if r.status != 200 || r.body["id"] != id {
		e.t.Fatalf("scanStatus: %d %s", r.status, r.raw)
	}
	return r.body["status"].(string)
}

func (e *env) result(id string) response {
	e.t.Helper()
	return e.get(v1 + "/admin/workspaces/scanResult/" + id)
}

func workspaces(r response) []map[string]any {
	var out []map[string]any
	for _, w := range r.body["workspaces"].([]any) {
		out = append(out, w.(map[string]any))
	}
	return out
}

func objects(v any) []map[string]any {
	var out []map[string]any
	arr, _ := v.([]any)
	for _, x := range arr {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestScannerFlowOnDefaultTenant(t *testing.T) {
	e := newEnv(t)
	id := e.startScan("lineage=True&datasourceDetails=True&datasetSchema=True&datasetExpressions=False&getArtifactUsers=True", allDemoWorkspaces...)
	if got := e.pollStatus(id); got != "Succeeded" {
		t.Fatalf("first poll: %s (default is one poll)", got)
	}
	r := e.result(id)
	if r.status != 200 {
		t.Fatalf("scanResult: %d %s", r.status, r.raw)
	}
	wss := workspaces(r)
	if len(wss) != 6 {
		t.Fatalf("scan result has %d workspaces, want all 6 (the admin scanner ignores roles)", len(wss))
	}
	hr := find(wss, tenant.DemoWorkspaceHRConfidential)
	if hr == nil || len(objects(hr["datasets"])) != 2 || hr["state"] != "Active" || hr["type"] != "Workspace" {
		t.Errorf("HR Confidential: %v", hr)
	}

	fin := find(wss, tenant.DemoWorkspaceFinance)
	rev := find(objects(fin["datasets"]), tenant.DemoDatasetRevenue)
	tables := objects(rev["tables"])
	var tableNames []string
	for _, tb := range tables {
		tableNames = append(tableNames, tb["name"].(string))
	}
	if strings.Join(tableNames, "|") != "Sales|Customers|Calendar" {
		t.Fatalf("Revenue tables %q", tableNames)
	}
	sales := tables[0]
	cols := objects(sales["columns"])
	if len(cols) != 8 || sales["description"] != "One row per order line." {
		t.Errorf("Sales: %d columns, %v", len(cols), sales["description"])
	}
	byName := map[string]map[string]any{}
	for _, c := range cols {
		byName[c["name"].(string)] = c
	}
	if c := byName["Net Amount"]; c["dataType"] != "Decimal" || c["isHidden"] != false || c["columnType"] != "Data" || c["description"] == nil {
		t.Errorf("Net Amount: %v", c)
	}
	if c := byName["ETL Batch ID"]; c["dataType"] != "Int64" || c["isHidden"] != true {
		t.Errorf("ETL Batch ID: %v", c)
	}
	// Expressions were not requested: no sources, measures or DAX.
	if _, has := sales["source"]; has {
		t.Error("source without datasetExpressions")
	}
	if _, has := sales["measures"]; has {
		t.Error("measures without datasetExpressions")
	}

	sa := find(wss, tenant.DemoWorkspaceSalesAnalytics)
	reps := objects(sa["reports"])
	if cross := find(reps, tenant.DemoReportRevenueByRegion); cross["datasetWorkspaceId"] != tenant.DemoWorkspaceFinance {
		t.Errorf("cross-workspace report in the scan: %v", cross)
	}
	if local := find(reps, tenant.DemoReportPipelineDashboard); local["datasetWorkspaceId"] != nil {
		t.Errorf("same-workspace report must not carry datasetWorkspaceId: %v", local)
	}
	users := objects(fin["users"])
	if len(users) != 1 || users[0]["identifier"] != tenant.DemoClientID || users[0]["groupUserAccessRight"] != "Member" || users[0]["principalType"] != "App" {
		t.Errorf("Finance users: %v", users)
	}
}

func TestScannerExpressions(t *testing.T) {
	e := newEnv(t)
	id := e.startScan("datasetSchema=true&datasetExpressions=true", tenant.DemoWorkspaceFinance)
	e.pollStatus(id)
	fin := workspaces(e.result(id))[0]
	rev := find(objects(fin["datasets"]), tenant.DemoDatasetRevenue)
	tables := objects(rev["tables"])
	sales, calendar := tables[0], tables[2]
	if src := objects(sales["source"]); len(src) != 1 || !strings.Contains(src[0]["expression"].(string), "Snowflake.Databases") {
		t.Errorf("Sales source: %v", sales["source"])
	}
	if ms := objects(sales["measures"]); len(ms) != 2 || ms[0]["expression"] == nil {
		t.Errorf("Sales measures: %v", sales["measures"])
	}
	for _, c := range objects(calendar["columns"]) {
		if c["name"] == "Fiscal Quarter" && (c["columnType"] != "Calculated" || c["expression"] == nil) {
			t.Errorf("calculated column: %v", c)
		}
	}

	// The tenant switch wins over the query flag.
	e.tenant.UpdateSettings(func(s *tenant.Settings) { s.DAXAndMashupExpressions = false })
	id = e.startScan("datasetSchema=true&datasetExpressions=true", tenant.DemoWorkspaceFinance)
	e.pollStatus(id)
	if strings.Contains(string(e.result(id).raw), "Snowflake") {
		t.Error("expressions returned with the DAX and mashup switch off")
	}
}

func TestScannerWithoutSchema(t *testing.T) {
	e := newEnv(t)
	id := e.startScan("lineage=true", tenant.DemoWorkspaceFinance) // no datasetSchema
	e.pollStatus(id)
	if r := e.result(id); strings.Contains(string(r.raw), `"tables"`) || len(objects(workspaces(r)[0]["datasets"])) != 3 {
		t.Errorf("without datasetSchema: %s", r.raw)
	}

	e.tenant.UpdateSettings(func(s *tenant.Settings) { s.DetailedMetadata = false })
	id = e.startScan("datasetSchema=true", tenant.DemoWorkspaceFinance)
	e.pollStatus(id)
	if r := e.result(id); strings.Contains(string(r.raw), `"tables"`) {
		t.Errorf("detailed metadata off but tables returned: %s", r.raw)
	}
}

func TestScannerPollingAndFailure(t *testing.T) {
	e := newEnv(t)
	e.api.SetScanPolls(3)
	id := e.startScan("datasetSchema=true", tenant.DemoWorkspaceMarketing)
	e.wantError(e.result(id), 400, "InvalidRequest") // not done yet
	for i, want := range []string{"Running", "Running", "Succeeded", "Succeeded"} {
		if got := e.pollStatus(id); got != want {
			t.Errorf("poll %d: %s, want %s", i+1, got, want)
		}
	}
	if r := e.result(id); r.status != 200 {
		t.Errorf("result after success: %d", r.status)
	}

	e.api.SetScanPolls(1)
	e.api.SetScanFailure("Scan timed out")
	id = e.startScan("datasetSchema=true", tenant.DemoWorkspaceMarketing)
	r := e.get(v1 + "/admin/workspaces/scanStatus/" + id)
	if r.body["status"] != "Failed" || r.body["error"].(map[string]any)["message"] != "Scan timed out" {
		t.Errorf("failed scan: %s", r.raw)
	}
	e.wantError(e.result(id), 400, "InvalidRequest")

	e.wantError(e.get(v1+"/admin/workspaces/scanStatus/00000000-0000-4000-8000-00000000abcd"), 404, "PowerBIEntityNotFound")
	e.wantError(e.result("00000000-0000-4000-8000-00000000abcd"), 404, "PowerBIEntityNotFound")
}

func TestScannerRequestValidation(t *testing.T) {
	e := newEnv(t)
	many := make([]string, 101)
	for i := range many {
		many[i] = tenant.DemoWorkspaceFinance
	}
	for name, body := range map[string]string{
		"empty list":   `{"workspaces":[]}`,
		"no list":      `{}`,
		"101 ids":      scanBody(many...),
		"not json":     `workspaces=1`,
		"not a GUID":   scanBody("Finance"),
		"wrong type":   `{"workspaces":"` + tenant.DemoWorkspaceFinance + `"}`,
		"empty string": scanBody(""),
	} {
		t.Run(name, func(t *testing.T) {
			e.wantError(e.do(http.MethodPost, v1+"/admin/workspaces/getInfo?datasetSchema=true", e.token, body), 400, "InvalidRequest")
		})
	}
	e.wantError(e.do(http.MethodPost, v1+"/admin/workspaces/getInfo?datasetSchema=maybe", e.token, scanBody(tenant.DemoWorkspaceFinance)), 400, "InvalidRequest")

	// Exactly 100 is fine; unknown IDs are left out of the result.
	hundred := many[:100]
	hundred[99] = "00000000-0000-4000-8000-000000000000"
	id := e.startScan("datasetSchema=true", hundred...)
	e.pollStatus(id)
	if wss := workspaces(e.result(id)); len(wss) != 1 {
		t.Errorf("duplicates and unknown ids: %d workspaces", len(wss))
	}
}

func TestScannerIgnoresRoles(t *testing.T) {
	e := newEnv(t)
	e.token = e.idp.Issue(tenant.DemoTenantID, tenant.NoAccessClientID, entra.AudiencePowerBI)
	id := e.startScan("datasetSchema=true", allDemoWorkspaces...)
	e.pollStatus(id)
	if wss := workspaces(e.result(id)); len(wss) != 6 {
		t.Errorf("no-access principal scanned %d workspaces, want 6", len(wss))
	}
	r := e.get(v1 + "/admin/workspaces/modified")
	var arr []any
	if err := json.Unmarshal(r.raw, &arr); err != nil || len(arr) != 6 {
		t.Errorf("modified: %s", r.raw)
	}
}
