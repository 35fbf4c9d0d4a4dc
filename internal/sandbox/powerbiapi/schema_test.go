package powerbiapi_test

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// The published Power BI Swagger is the contract for every body the emulator returns.
// This test restates the parts of it we rely on (property names, required properties,
// types and enums of Group, Dataset, Report, ScanRequest, WorkspaceInfo and its children)
// and checks every object in a full walk of the default tenant against them. Properties
// the live service sends beyond the Swagger ("type" and "@odata.count" on groups,
// "columnType" on scanned columns, ...) are listed as extras.

type shape struct {
	required []string
	allowed  []string // in addition to required
}

var (
	groupShape = shape{[]string{"id"}, []string{"name", "isReadOnly", "isOnDedicatedCapacity", "capacityId", "dataflowStorageId",
		"defaultDatasetStorageFormat", "logAnalyticsWorkspace", "type" /* live extra */, "@odata.context" /* single-entity extra */}}
	datasetShape = shape{[]string{"id"}, []string{"name", "configuredBy", "createdDate", "description", "upstreamDataflows", "webUrl",
		"createReportEmbedURL", "qnaEmbedURL", "isEffectiveIdentityRequired", "isEffectiveIdentityRolesRequired",
		"isOnPremGatewayRequired", "users", "addRowsAPIEnabled", "isRefreshable", "targetStorageMode", "@odata.context"}}
	reportShape = shape{[]string{"id"}, []string{"name", "datasetId", "appId", "description", "reportType", "originalReportId",
		"isOwnedByMe", "webUrl", "embedUrl", "users", "subscriptions", "datasetWorkspaceId", "isFromPbix" /* live extras */, "@odata.context"}}
	listShape       = shape{[]string{"value"}, []string{"@odata.context", "@odata.count"}}
	scanRequestShap = shape{[]string{"id", "createdDateTime", "status"}, []string{"error"}}
	scanResultShape = shape{[]string{"workspaces"}, []string{"datasourceInstances", "misconfiguredDatasourceInstances"}}
	wsInfoShape     = shape{[]string{"id"}, []string{"name", "description", "type", "state", "dataRetrievalState", "isOnDedicatedCapacity",
		"capacityId", "defaultDatasetStorageFormat", "reports", "dashboards", "datasets", "dataflows", "datamarts", "users"}}
	wsDatasetShape = shape{[]string{"id"}, []string{"name", "description", "configuredBy", "createdDate", "targetStorageMode",
		"tables", "schemaRetrievalError", "schemaMayNotBeUpToDate", "expressions", "roles", "upstreamDataflows", "datasourceUsages",
		"misconfiguredDatasourceUsages", "endorsementDetails", "sensitivityLabel", "users",
		"isEffectiveIdentityRequired", "isEffectiveIdentityRolesRequired" /* live extras */}}
	wsReportShape = shape{[]string{"id"}, []string{"name", "datasetId", "appId", "description", "reportType", "originalReportId",
		"isOwnedByMe", "createdBy", "modifiedBy", "createdDateTime", "modifiedDateTime", "createdById", "modifiedById",
		"endorsementDetails", "sensitivityLabel", "users", "datasetWorkspaceId"}}
	tableShape  = shape{[]string{"name", "columns"}, []string{"rows", "measures", "isHidden", "description", "source"}}
	columnShape = shape{[]string{"name", "dataType"}, []string{"formatString", "sortByColumn", "dataCategory", "isHidden", "summarizeBy",
		"columnType", "description", "expression" /* live extras */}}
	measureShape = shape{[]string{"name", "expression"}, []string{"formatString", "description", "isHidden"}}
	sourceShape  = shape{[]string{"expression"}, nil}
	userShape    = shape{[]string{"groupUserAccessRight", "identifier", "principalType"}, []string{"emailAddress", "displayName", "graphId", "userType", "profile"}}
)

var (
	guidRE      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	tableNameRE = regexp.MustCompile("^[\t\n\r #\\-0-9@-Z^_a-z~-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]{1,100}$")
)

type checker struct {
	t    *testing.T
	seen map[string]int
}

func (c *checker) obj(what string, v any, s shape) map[string]any {
	c.t.Helper()
	c.seen[what]++
	m, ok := v.(map[string]any)
	if !ok {
		c.t.Errorf("%s: not an object: %v", what, v)
		return nil
	}
	for _, k := range s.required {
		if _, ok := m[k]; !ok {
			c.t.Errorf("%s: missing required %q in %v", what, k, m)
		}
	}
	var extra []string
	for k := range m {
		if !slices.Contains(s.required, k) && !slices.Contains(s.allowed, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		c.t.Errorf("%s: properties not in the contract: %v", what, extra)
	}
	return m
}

func (c *checker) arr(what string, v any) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok && v != nil {
		c.t.Errorf("%s: not an array: %v", what, v)
	}
	return a
}

func (c *checker) guid(what string, v any) {
	c.t.Helper()
	if s, _ := v.(string); !guidRE.MatchString(s) {
		c.t.Errorf("%s: %v is not a uuid", what, v)
	}
}

func (c *checker) dateTime(what string, v any) {
	c.t.Helper()
	if s, _ := v.(string); s == "" {
		c.t.Errorf("%s: missing date-time", what)
	} else if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		c.t.Errorf("%s: %q is not an RFC 3339 date-time", what, s)
	}
}

func (c *checker) enum(what string, v any, values ...string) {
	c.t.Helper()
	if v == nil {
		return
	}
	if s, _ := v.(string); !slices.Contains(values, s) {
		c.t.Errorf("%s: %v not in %v", what, v, values)
	}
}

func (c *checker) group(v any) {
	g := c.obj("Group", v, groupShape)
	c.guid("Group.id", g["id"])
	if g["capacityId"] != nil {
		c.guid("Group.capacityId", g["capacityId"])
	}
	c.enum("Group.defaultDatasetStorageFormat", g["defaultDatasetStorageFormat"], "Small", "Large")
	c.enum("Group.type", g["type"], "PersonalGroup", "Personal", "Group", "Workspace")
}

func (c *checker) dataset(v any) {
	d := c.obj("Dataset", v, datasetShape)
	c.dateTime("Dataset.createdDate", d["createdDate"])
	c.arr("Dataset.users", d["users"])
	c.arr("Dataset.upstreamDataflows", d["upstreamDataflows"])
}

func (c *checker) report(v any) {
	r := c.obj("Report", v, reportShape)
	c.guid("Report.id", r["id"])
	c.enum("Report.reportType", r["reportType"], "PaginatedReport", "PowerBIReport")
	if r["datasetWorkspaceId"] != nil {
		c.guid("Report.datasetWorkspaceId", r["datasetWorkspaceId"])
	}
}

func TestResponsesFollowTheContract(t *testing.T) {
	e := newEnv(t)
	c := &checker{t: t, seen: map[string]int{}}

	// Give the demo principal every workspace so the walk covers everything.
	if err := e.tenant.SetRole(tenant.DemoWorkspaceHRConfidential, tenant.DemoClientID, tenant.RoleContributor); err != nil {
		t.Fatal(err)
	}
	groups := e.get(v1 + "/groups")
	c.obj("Groups", groups.body, listShape)
	var ids []string
	for _, g := range c.arr("Groups.value", groups.body["value"]) {
		c.group(g)
		id := g.(map[string]any)["id"].(string)
		ids = append(ids, id)
		c.group(e.get(v1 + "/groups/" + id).body)

		ds := e.get(v1 + "/groups/" + id + "/datasets")
		c.obj("Datasets", ds.body, listShape)
		for _, d := range c.arr("Datasets.value", ds.body["value"]) {
			c.dataset(d)
			c.dataset(e.get(v1 + "/groups/" + id + "/datasets/" + d.(map[string]any)["id"].(string)).body)
		}
		rs := e.get(v1 + "/groups/" + id + "/reports")
		c.obj("Reports", rs.body, listShape)
		for _, r := range c.arr("Reports.value", rs.body["value"]) {
			c.report(r)
			c.report(e.get(v1 + "/groups/" + id + "/reports/" + r.(map[string]any)["id"].(string)).body)
		}
	}

	// The scanner, with every option on.
	post := e.do(http.MethodPost, v1+"/admin/workspaces/getInfo?lineage=true&datasourceDetails=true&datasetSchema=true&datasetExpressions=true&getArtifactUsers=true", e.token, scanBody(ids...))
	sr := c.obj("ScanRequest", post.body, scanRequestShap)
	c.guid("ScanRequest.id", sr["id"])
	c.dateTime("ScanRequest.createdDateTime", sr["createdDateTime"])
	status := e.get(v1 + "/admin/workspaces/scanStatus/" + sr["id"].(string))
	c.obj("ScanRequest", status.body, scanRequestShap)
	res := e.result(sr["id"].(string))
	c.obj("WorkspaceInfoResponse", res.body, scanResultShape)
	for _, w := range c.arr("workspaces", res.body["workspaces"]) {
		wi := c.obj("WorkspaceInfo", w, wsInfoShape)
		c.guid("WorkspaceInfo.id", wi["id"])
		c.enum("WorkspaceInfo.defaultDatasetStorageFormat", wi["defaultDatasetStorageFormat"], "Small", "Large")
		for _, u := range c.arr("users", wi["users"]) {
			m := c.obj("GroupUser", u, userShape)
			c.enum("GroupUser.groupUserAccessRight", m["groupUserAccessRight"], "None", "Member", "Admin", "Contributor", "Viewer")
			c.enum("GroupUser.principalType", m["principalType"], "None", "User", "Group", "App")
		}
		for _, r := range c.arr("reports", wi["reports"]) {
			m := c.obj("WorkspaceInfoReport", r, wsReportShape)
			c.guid("WorkspaceInfoReport.id", m["id"])
			c.enum("WorkspaceInfoReport.reportType", m["reportType"], "PaginatedReport", "PowerBIReport")
		}
		for _, d := range c.arr("datasets", wi["datasets"]) {
			m := c.obj("WorkspaceInfoDataset", d, wsDatasetShape)
			c.dateTime("WorkspaceInfoDataset.createdDate", m["createdDate"])
			for _, tb := range c.arr("tables", m["tables"]) {
				tm := c.obj("Table", tb, tableShape)
				if name, _ := tm["name"].(string); !tableNameRE.MatchString(name) {
					t.Errorf("table name %q violates the Table.name pattern", name)
				}
				for _, col := range c.arr("columns", tm["columns"]) {
					c.obj("Column", col, columnShape)
				}
				for _, ms := range c.arr("measures", tm["measures"]) {
					c.obj("Measure", ms, measureShape)
				}
				for _, src := range c.arr("source", tm["source"]) {
					c.obj("ASMashupExpression", src, sourceShape)
				}
			}
		}
	}

	// Make sure the walk actually saw each kind of object.
	for _, kind := range []string{"Group", "Dataset", "Report", "WorkspaceInfo", "WorkspaceInfoDataset", "WorkspaceInfoReport", "Table", "Column", "Measure", "ASMashupExpression", "GroupUser"} {
		if c.seen[kind] == 0 {
			t.Errorf("no %s checked", kind)
		}
	}
}
