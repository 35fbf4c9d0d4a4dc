package powerbiapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/powerbiapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// env is one sandbox host serving Entra ID at the root and Power BI under /v1.0/, over TLS,
// as the sandbox glue does.
type env struct {
	t      *testing.T
	tenant *tenant.Tenant
	idp    *entra.Server
	api    *powerbiapi.Server
	srv    *httptest.Server
	token  string // the demo principal's Power BI token
}

func newEnv(t *testing.T) *env {
	t.Helper()
	tn := tenant.Default()
	idp := entra.New(tn)
	api := powerbiapi.New(tn, idp)
	mux := http.NewServeMux()
	mux.Handle("/v1.0/", api)
	mux.Handle("/", idp)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, tenant: tn, idp: idp, api: api, srv: srv,
		token: idp.Issue(tenant.DemoTenantID, tenant.DemoClientID, entra.AudiencePowerBI)}
}

type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any // nil when the body is not a JSON object
}

func (e *env) do(method, path, token string, body string) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func (e *env) get(path string) response { return e.do(http.MethodGet, path, e.token, "") }

// names extracts value[].name from a list response.
func names(r response) []string {
	var out []string
	for _, v := range list(r) {
		out = append(out, v["name"].(string))
	}
	return out
}

func list(r response) []map[string]any {
	var out []map[string]any
	vals, _ := r.body["value"].([]any)
	for _, v := range vals {
		out = append(out, v.(map[string]any))
	}
	return out
}

func find(items []map[string]any, id string) map[string]any {
	for _, it := range items {
		if it["id"] == id {
			return it
		}
	}
	return nil
}

// errorCode returns error.code from a Power BI error body.
func errorCode(r response) string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (e *env) wantError(r response, status int, code string) {
	e.t.Helper()
	if r.status != status || errorCode(r) != code {
		e.t.Errorf("got %d %s, want %d %s (body %s)", r.status, errorCode(r), status, code, r.raw)
	}
	if got := r.header.Get("X-PowerBI-Error-Info"); got != code {
		e.t.Errorf("X-PowerBI-Error-Info %q, want %q", got, code)
	}
	if !tenant.IsGUID(r.header.Get("RequestId")) {
		e.t.Errorf("RequestId header %q", r.header.Get("RequestId"))
	}
}

const v1 = "/v1.0/myorg"

var _ powerbiapi.TokenValidator = (*entra.Server)(nil)
