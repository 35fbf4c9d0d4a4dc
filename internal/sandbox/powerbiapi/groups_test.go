package powerbiapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

var demoVisible = []string{"Finance", "Finance Sandbox", "Sales Analytics", "Marketing", "Supply Chain"}

func TestGroupsListsOnlyWorkspacesWithARole(t *testing.T) {
	e := newEnv(t)
	r := e.get(v1 + "/groups")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	if got := names(r); strings.Join(got, "|") != strings.Join(demoVisible, "|") {
		t.Errorf("names %q, want %q", got, demoVisible)
	}
	if r.body["@odata.count"] != float64(5) || r.body["@odata.context"] != e.srv.URL+v1+"/$metadata#groups" {
		t.Errorf("count %v context %v", r.body["@odata.count"], r.body["@odata.context"])
	}
	items := list(r)
	fin, sandbox := find(items, tenant.DemoWorkspaceFinance), find(items, tenant.DemoWorkspaceFinanceSandbox)
	if fin["isReadOnly"] != false || fin["isOnDedicatedCapacity"] != true || fin["capacityId"] == nil ||
		fin["defaultDatasetStorageFormat"] != "Small" || fin["type"] != "Workspace" {
		t.Errorf("Finance (Member, dedicated capacity): %v", fin)
	}
	if sandbox["isReadOnly"] != true || sandbox["capacityId"] != nil || sandbox["defaultDatasetStorageFormat"] != nil {
		t.Errorf("Finance Sandbox (Viewer, shared capacity): %v", sandbox)
	}

	// Another principal, another view: none.
	none := e.do(http.MethodGet, v1+"/groups", e.idp.Issue(tenant.DemoTenantID, tenant.NoAccessClientID, entra.AudiencePowerBI), "")
	if none.status != 200 || none.body["@odata.count"] != float64(0) || string(none.raw) == "" || !strings.Contains(string(none.raw), `"value":[]`) {
		t.Errorf("no-access principal: %d %s", none.status, none.raw)
	}

	// Roles change at once.
	if err := e.tenant.SetRole(tenant.DemoWorkspaceHRConfidential, tenant.DemoClientID, tenant.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if got := e.get(v1 + "/groups").body["@odata.count"]; got != float64(6) {
		t.Errorf("after granting HR: count %v", got)
	}
}

func TestGroupsPaging(t *testing.T) {
	e := newEnv(t)
	var all []string
	for skip := 0; skip < 10; skip += 2 {
		r := e.get(v1 + "/groups?$top=2&$skip=" + strconv.Itoa(skip))
		if r.status != 200 || r.body["@odata.count"] != float64(5) {
			t.Fatalf("skip %d: %d count %v", skip, r.status, r.body["@odata.count"])
		}
		all = append(all, names(r)...)
	}
	if strings.Join(all, "|") != strings.Join(demoVisible, "|") {
		t.Errorf("paged names %q", all)
	}
	if r := e.get(v1 + "/groups?%24top=1"); len(list(r)) != 1 || r.body["@odata.count"] != float64(5) {
		t.Errorf("$top=1 (URL-encoded $): %s", r.raw)
	}
	if r := e.get(v1 + "/groups?$top=0"); len(list(r)) != 0 || r.body["@odata.count"] != float64(5) {
		t.Errorf("$top=0: %s", r.raw)
	}
	if r := e.get(v1 + "/groups?$top=5000"); r.status != 200 {
		t.Errorf("$top=5000: %d", r.status)
	}
	for _, q := range []string{"$top=5001", "$top=-1", "$top=ten", "$skip=-3"} {
		e.wantError(e.get(v1+"/groups?"+q), 400, "InvalidRequest")
	}
}

func TestGroupsFilter(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"name eq 'Finance'", []string{"Finance"}},
		{"name ne 'Finance'", []string{"Finance Sandbox", "Sales Analytics", "Marketing", "Supply Chain"}},
		{"contains(name,'Finance')", []string{"Finance", "Finance Sandbox"}},
		{"tolower(name) eq 'marketing'", []string{"Marketing"}},
		{"toupper(name) eq 'SUPPLY CHAIN'", []string{"Supply Chain"}},
		{"startswith(name,'Sales')", []string{"Sales Analytics"}},
		{"endswith(name, 'Sandbox')", []string{"Finance Sandbox"}},
		{"contains(name,'Finance') and not contains(name,'Sandbox')", []string{"Finance"}},
		{"contains(name,'marketing') or name eq 'Supply Chain'", []string{"Supply Chain"}}, // case-sensitive contains
		{"contains(tolower(name),'marketing') or name eq 'Supply Chain'", []string{"Marketing", "Supply Chain"}},
		{"not(startswith(name,'F'))", []string{"Sales Analytics", "Marketing", "Supply Chain"}},
		{"(startswith(name,'F') or startswith(name,'M')) and isOnDedicatedCapacity eq false", []string{"Finance Sandbox", "Marketing"}},
		{"isOnDedicatedCapacity", []string{"Finance", "Sales Analytics"}},
		{"isReadOnly eq true and type eq 'Workspace'", []string{"Finance Sandbox", "Sales Analytics", "Marketing"}},
		{"id eq '" + tenant.DemoWorkspaceMarketing + "'", []string{"Marketing"}},
		{"name eq 'HR Confidential'", nil}, // exists, but not for this principal
		{"name eq 'Bob''s'", nil},
		{"trim(name) eq 'Finance'", []string{"Finance"}},
	} {
		r := e.get(v1 + "/groups?$filter=" + url.QueryEscape(tc.filter))
		if r.status != 200 {
			t.Errorf("%s: %d %s", tc.filter, r.status, r.raw)
			continue
		}
		if got := names(r); strings.Join(got, "|") != strings.Join(tc.want, "|") || r.body["@odata.count"] != float64(len(tc.want)) {
			t.Errorf("%s: got %q (count %v), want %q", tc.filter, got, r.body["@odata.count"], tc.want)
		}
	}

	// @odata.count is the filtered total, not the page size.
	r := e.get(v1 + "/groups?$top=1&$skip=1&$filter=" + url.QueryEscape("contains(name,'e')"))
	if got := names(r); r.body["@odata.count"] != float64(4) || len(got) != 1 || got[0] != "Finance Sandbox" {
		t.Errorf("filtered page: %s", r.raw)
	}

	for _, bad := range []string{
		"name gt 'A'", "substringof('x',name)", "length(name) eq 3", "name eq", "contains(name,'x'",
		"name eq 'x", "description eq 'x'", "name eq true", "contains(name)", "name eq 'a' extra", "name = 'a'",
	} {
		r := e.get(v1 + "/groups?$filter=" + url.QueryEscape(bad))
		e.wantError(r, 400, "InvalidRequest")
		if msg, _ := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "$filter") {
			t.Errorf("%s: message %q", bad, msg)
		}
	}
}

func TestGetGroup(t *testing.T) {
	e := newEnv(t)
	r := e.get(v1 + "/groups/" + strings.ToUpper(tenant.DemoWorkspaceFinance))
	if r.status != 200 || r.body["id"] != tenant.DemoWorkspaceFinance || r.body["name"] != "Finance" ||
		r.body["@odata.context"] != e.srv.URL+v1+"/$metadata#groups/$entity" {
		t.Errorf("GET group: %d %s", r.status, r.raw)
	}
	// A workspace without a role and one that does not exist look the same.
	for _, id := range []string{tenant.DemoWorkspaceHRConfidential, "00000000-0000-4000-8000-000000000000", "not-a-guid"} {
		r := e.get(v1 + "/groups/" + id)
		e.wantError(r, 404, "PowerBIEntityNotFound")
		pbi, _ := r.body["error"].(map[string]any)["pbi.error"].(map[string]any)
		if pbi["code"] != "PowerBIEntityNotFound" || pbi["exceptionCulprit"] != float64(1) {
			t.Errorf("%s: pbi.error %v", id, pbi)
		}
	}
}

func TestDatasetsAndReports(t *testing.T) {
	e := newEnv(t)
	ws := tenant.DemoWorkspaceFinance
	r := e.get(v1 + "/groups/" + ws + "/datasets")
	if got := names(r); strings.Join(got, "|") != "Revenue|Revenue (old)|Finance KPIs" || r.body["@odata.context"] != e.srv.URL+v1+"/$metadata#datasets" {
		t.Fatalf("datasets: %s", r.raw)
	}
	rev := find(list(r), tenant.DemoDatasetRevenue)
	for k, want := range map[string]any{
		"webUrl":            "https://app.powerbi.com/groups/" + ws + "/datasets/" + tenant.DemoDatasetRevenue,
		"configuredBy":      "anna.berg@contoso.com",
		"targetStorageMode": "PremiumFiles",
		"createdDate":       "2024-03-04T09:15:00Z",
		"isRefreshable":     true,
		"addRowsAPIEnabled": false,
	} {
		if rev[k] != want {
			t.Errorf("Revenue %s = %v, want %v", k, rev[k], want)
		}
	}
	if _, ok := rev["tables"]; ok {
		t.Error("the datasets API must not expose tables")
	}

	one := e.get(v1 + "/groups/" + ws + "/datasets/" + tenant.DemoDatasetRevenueOld)
	if one.status != 200 || one.body["name"] != "Revenue (old)" || one.body["@odata.context"] != e.srv.URL+v1+"/$metadata#datasets/$entity" {
		t.Errorf("GET dataset: %s", one.raw)
	}
	// A model of another workspace is not found through this one.
	e.wantError(e.get(v1+"/groups/"+ws+"/datasets/"+tenant.DemoDatasetSalesPipeline), 404, "ItemNotFound")
	push := e.get(v1 + "/groups/" + ws + "/datasets/" + tenant.DemoDatasetRevenue + "/tables")
	e.wantError(push, 404, "ItemNotFound")
	if !strings.Contains(string(push.raw), "is not Push API dataset") {
		t.Errorf("tables: %s", push.raw)
	}

	reps := e.get(v1 + "/groups/" + tenant.DemoWorkspaceSalesAnalytics + "/reports")
	cross := find(list(reps), tenant.DemoReportRevenueByRegion)
	if cross["datasetId"] != tenant.DemoDatasetRevenue || cross["datasetWorkspaceId"] != tenant.DemoWorkspaceFinance ||
		cross["reportType"] != "PowerBIReport" || cross["embedUrl"] == nil {
		t.Errorf("cross-workspace report: %v", cross)
	}
	local := find(list(reps), tenant.DemoReportPipelineDashboard)
	if local["datasetWorkspaceId"] != tenant.DemoWorkspaceSalesAnalytics {
		t.Errorf("same-workspace report: %v", local)
	}

	pag := e.get(v1 + "/groups/" + ws + "/reports/" + tenant.DemoReportMonthlyClosePack)
	if pag.status != 200 || pag.body["reportType"] != "PaginatedReport" || pag.body["webUrl"] != "https://app.powerbi.com/groups/"+ws+"/rdlreports/"+tenant.DemoReportMonthlyClosePack {
		t.Errorf("paginated report: %s", pag.raw)
	}
	if _, has := pag.body["datasetId"]; has {
		t.Error("a paginated report without a model must have no datasetId")
	}
	e.wantError(e.get(v1+"/groups/"+ws+"/reports/"+tenant.DemoReportCampaignROI), 404, "PowerBIEntityNotFound")

	// Nothing in a workspace without a role.
	for _, p := range []string{"/datasets", "/reports", "/datasets/" + tenant.DemoDatasetHeadcount, "/reports/" + tenant.DemoReportSalaryBands} {
		e.wantError(e.get(v1+"/groups/"+tenant.DemoWorkspaceHRConfidential+p), 404, "PowerBIEntityNotFound")
	}
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t)
	groups := v1 + "/groups"

	r := e.do(http.MethodGet, groups, "", "")
	e.wantError(r, 401, "PowerBINotAuthorizedException")
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer ") {
		t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
	}
	e.wantError(e.do(http.MethodGet, groups, "garbage", ""), 401, "PowerBINotAuthorizedException")
	e.wantError(e.do(http.MethodGet, groups, e.idp.Issue(tenant.DemoTenantID, tenant.DemoClientID, entra.AudienceFabric), ""), 401, "PowerBINotAuthorizedException")
	e.wantError(e.do(http.MethodGet, groups, e.idp.Issue("00000000-0000-4000-8000-000000000001", tenant.DemoClientID, entra.AudiencePowerBI), ""), 401, "PowerBINotAuthorizedException")

	e.idp.ExpireTokens()
	r = e.get(groups)
	e.wantError(r, 403, "TokenExpired")
	if msg := r.body["error"].(map[string]any)["message"]; msg != "Access token has expired, resubmit with a new access token" {
		t.Errorf("expired message %v", msg)
	}

	e.token = e.idp.Issue(tenant.DemoTenantID, tenant.DemoClientID, entra.AudiencePowerBI)
	scan := func() response {
		return e.do(http.MethodPost, v1+"/admin/workspaces/getInfo?datasetSchema=true", e.token, `{"workspaces":["`+tenant.DemoWorkspaceFinance+`"]}`)
	}
	e.tenant.UpdateSettings(func(s *tenant.Settings) { s.ServicePrincipalsCanUseReadOnlyAdminAPIs = false })
	e.wantError(scan(), 401, "PowerBINotAuthorizedException")
	if r := e.get(groups); r.status != 200 {
		t.Errorf("user APIs must keep working without the admin switch: %d", r.status)
	}
	e.tenant.UpdateSettings(func(s *tenant.Settings) {
		s.ServicePrincipalsCanUseReadOnlyAdminAPIs = true
		s.ServicePrincipalsCanUseAPIs = false
	})
	for _, p := range []string{groups, v1 + "/groups/" + tenant.DemoWorkspaceFinance + "/datasets"} {
		e.wantError(e.get(p), 401, "PowerBINotAuthorizedException")
	}
	e.wantError(scan(), 401, "PowerBINotAuthorizedException")
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	e := newEnv(t)
	e.wantError(e.get(v1+"/dashboards-of-the-future"), 404, "NotFound")
	r := e.do(http.MethodDelete, v1+"/groups/"+tenant.DemoWorkspaceFinance, e.token, "")
	e.wantError(r, 405, "MethodNotAllowed")
	// Paths are case-insensitive, as on the service.
	if r := e.get("/v1.0/MyOrg/Groups"); r.status != 200 || r.body["@odata.count"] != float64(5) {
		t.Errorf("mixed-case path: %d", r.status)
	}
}

// The whole chain with the real MSAL client: token from the Entra emulator, accepted by
// the Power BI emulator on the same host.
func TestMSALTokenWorksAgainstPowerBI(t *testing.T) {
	e := newEnv(t)
	cred, _ := confidential.NewCredFromSecret(tenant.DemoClientSecret)
	c, err := confidential.New(e.srv.URL+"/"+tenant.DemoTenantID, tenant.DemoClientID, cred,
		confidential.WithHTTPClient(e.srv.Client()), confidential.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ar, err := c.AcquireTokenByCredential(ctx, []string{entra.ScopePowerBI})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do(http.MethodGet, v1+"/groups", ar.AccessToken, ""); r.status != 200 || len(list(r)) != 5 {
		t.Errorf("groups with an MSAL token: %d %s", r.status, r.raw)
	}
}
