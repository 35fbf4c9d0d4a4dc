package entropyapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Facts from the published API document that the tests rely on, stated in our own words:
//   - errors are application/problem+json {type: "about:blank", title: <reason phrase>, status,
//     detail, instance: <request path>}; validation 400s add violations [{field, message}] sorted
//     by field;
//   - a missing or unknown key is 403 "The API key was not found or not the expected value.";
//   - IngestionRun requires ingestionRunId (uuid), integrationExternalId, status (RUNNING, SUCCESS,
//     FAILED, CANCELLED), the four asset counts and startedAt; message and completedAt are
//     optional (OpenAPI 3.1: never null);
//   - Integration requires externalId, name, source (enum), enabled;
//   - the run trigger answers 202 {integrationExternalId, scheduledAt, deferred, message} and the
//     conflict is application/json {status: "already_running", message}.

const (
	orgKey     = "org-key"
	financeKey = "finance-key"
	salesKey   = "sales-key"
)

var testKeys = map[string]Principal{
	orgKey:     {Name: "admin", OrgOwner: true},
	financeKey: {Name: "finance ci", Team: "finance"},
	salesKey:   {Name: "sales ci", Team: "sales"},
}

// fixedClock is a settable clock for tests that look at dates.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

type harness struct {
	t   *testing.T
	srv *Server
	ts  *httptest.Server
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	if opts.APIKeys == nil {
		opts.APIKeys = testKeys
	}
	s := New(opts)
	return &harness{t: t, srv: s, ts: newTestServerFor(t, s)}
}

func newTestServerFor(t *testing.T, s *Server) *httptest.Server {
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return ts
}

type response struct {
	status int
	header http.Header
	body   []byte
	path   string
}

// do sends a request with the org key. body may be nil, a string/[]byte (sent as is) or a value
// (sent as JSON).
func (h *harness) do(method, path string, body any) *response {
	h.t.Helper()
	return h.doAs(orgKey, method, path, body)
}

func (h *harness) doAs(key, method, path string, body any) *response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	p := path
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return &response{status: res.StatusCode, header: res.Header, body: raw, path: p}
}

// ok asserts the status and returns the response for chaining.
func (r *response) want(t *testing.T, status int) *response {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body: %s", r.path, r.status, status, r.body)
	}
	return r
}

func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: content type %q, want application/json; body %s", r.path, ct, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: %v; body %s", r.path, err, r.body)
	}
}

func (r *response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

func (r *response) array(t *testing.T) []map[string]any {
	t.Helper()
	var a []map[string]any
	r.decode(t, &a)
	if a == nil {
		t.Fatalf("%s: body %s is not a JSON array", r.path, r.body)
	}
	return a
}

// problem asserts an RFC 7807 body with the given status and that detail contains each fragment.
func (r *response) problem(t *testing.T, status int, fragments ...string) problemBody {
	t.Helper()
	r.want(t, status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: content type %q, want application/problem+json", r.path, ct)
	}
	var raw map[string]any
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "title", "status", "detail", "instance"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("%s: problem lacks %q: %s", r.path, k, r.body)
		}
	}
	var p problemBody
	_ = json.Unmarshal(r.body, &p)
	if p.Type != "about:blank" || p.Title != http.StatusText(status) || p.Status != status || p.Instance != r.path {
		t.Errorf("%s: problem header fields wrong: %s", r.path, r.body)
	}
	for _, f := range fragments {
		if !strings.Contains(p.Detail, f) {
			t.Errorf("%s: detail %q lacks %q", r.path, p.Detail, f)
		}
	}
	if !slices.IsSortedFunc(p.Violations, func(a, b Violation) int { return strings.Compare(a.Field, b.Field) }) {
		t.Errorf("violations not sorted by field: %+v", p.Violations)
	}
	return p
}

func fields(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Field)
	}
	return out
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkRun asserts the IngestionRun shape.
func checkRun(t *testing.T, m map[string]any) {
	t.Helper()
	for _, k := range []string{"ingestionRunId", "integrationExternalId", "status", "assetsProcessed", "assetsCreated", "assetsUpdated", "assetsDeleted", "startedAt"} {
		if m[k] == nil {
			t.Errorf("run lacks %q: %v", k, m)
		}
	}
	if id, _ := m["ingestionRunId"].(string); !uuidRE.MatchString(id) {
		t.Errorf("ingestionRunId %q is not a UUID", id)
	}
	if !slices.Contains([]string{"RUNNING", "SUCCESS", "FAILED", "CANCELLED"}, m["status"].(string)) {
		t.Errorf("status %v not in enum", m["status"])
	}
	for _, k := range []string{"startedAt", "completedAt"} {
		if v, ok := m[k]; ok {
			s, isStr := v.(string)
			if _, err := time.Parse(time.RFC3339Nano, s); !isStr || err != nil {
				t.Errorf("%s %v is not an RFC 3339 date-time", k, v)
			}
		}
	}
	for k, v := range m {
		if v == nil {
			t.Errorf("run field %q is null", k)
		}
	}
}

// checkIntegration asserts the Integration shape.
func checkIntegration(t *testing.T, m map[string]any) {
	t.Helper()
	for _, k := range []string{"externalId", "name", "source", "enabled"} {
		if m[k] == nil {
			t.Errorf("integration lacks %q: %v", k, m)
		}
	}
	if !slices.Contains(IntegrationSources, m["source"].(string)) {
		t.Errorf("source %v not in enum", m["source"])
	}
	for _, k := range []string{"assetOwnerTeamExternalId", "configuration"} {
		if v, ok := m[k]; ok && v == nil {
			t.Errorf("integration field %q is null", k)
		}
	}
	if _, ok := m["credential"]; ok {
		t.Errorf("integration exposes its credential: %v", m)
	}
}

// fixtures

func seedTeams(t *testing.T, s *Server) {
	t.Helper()
	for _, team := range []Team{{ID: "finance", Name: "Finance", Type: "Team"}, {ID: "sales", Name: "Sales", Type: "Team"}} {
		if err := s.PutTeam(team); err != nil {
			t.Fatal(err)
		}
	}
}

// ordersProductJSON is a Snowflake source data product with output port "orders".
const ordersProductJSON = `{"dataProductSpecification":"0.0.1","id":"snowflake-orders","info":{"title":"Orders","owner":"finance","archetype":"source-aligned","status":"active"},"outputPorts":[{"id":"orders","name":"Orders","type":"snowflake","dataContractId":"orders-contract","autoApprove":false},{"id":"orders-public","name":"Orders (public)","autoApprove":true}],"tags":["sales"]}`

func reportProductJSON(id, owner string, assetIDs ...string) string {
	assets := []string{}
	for _, a := range assetIDs {
		assets = append(assets, `{"assetId":"`+a+`"}`)
	}
	return `{"dataProductSpecification":"0.0.1","id":"` + id + `","info":{"title":"Revenue Report","owner":"` + owner + `","archetype":"powerbi-report"},"assets":[` + strings.Join(assets, ",") + `]}`
}

func seedProducts(t *testing.T, s *Server) {
	t.Helper()
	seedTeams(t, s)
	if err := s.PutDataProductJSON("snowflake-orders", []byte(ordersProductJSON)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutDataProductJSON("revenue-report", []byte(reportProductJSON("revenue-report", "sales"))); err != nil {
		t.Fatal(err)
	}
}

func powerBIBody(name, owner string) map[string]any {
	cfg := map[string]any{
		"source": "powerbi", "name": name, "description": "imports finance",
		"scheduleExpression": "0 0 6 * * ?",
		"filters": map[string]any{
			"workspaces":     map[string]any{"include": []string{"Finance*"}, "exclude": []string{"*Sandbox*"}},
			"semanticModels": map[string]any{"include": []string{"*"}},
			"reports":        map[string]any{"exclude": []string{"*(old)"}},
		},
	}
	if owner != "" {
		cfg["assetOwnerTeamExternalId"] = owner
	}
	return map[string]any{
		"configuration": cfg,
		"credential":    map[string]any{"type": "service_principal", "details": map[string]any{"tenantId": "tenant-1", "clientId": "client-1", "clientSecret": "s3cret-1"}},
	}
}
