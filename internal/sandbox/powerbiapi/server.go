// Package powerbiapi emulates the part of the Power BI REST API (api.powerbi.com,
// /v1.0/myorg) that catalog ingestion uses: workspaces (groups), semantic models
// (datasets), reports, and the admin scanner (getInfo / scanStatus / scanResult) that
// returns tables and columns. It serves a *tenant.Tenant and trusts tokens from the Entra
// ID emulator, enforcing the same rules as the real service: per-principal workspace
// roles, the tenant switches for service principals, and the documented error bodies.
package powerbiapi

import (
	"net/http"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entra"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// BasePath is where the API lives on the host, as on api.powerbi.com.
const BasePath = "/v1.0/myorg"

// TokenValidator resolves a bearer token; *entra.Server implements it. It must return
// entra.ErrTokenExpired for expired tokens and entra.ErrWrongAudience for tokens meant for
// another resource; any other error means the token is unknown.
type TokenValidator interface {
	Validate(token string) (entra.Claims, error)
}

// Server is the Power BI REST emulator: an http.Handler for paths under BasePath.
type Server struct {
	tenant  *tenant.Tenant
	tokens  TokenValidator
	handler http.Handler
	scanner scanner
}

// New returns an emulator serving t, trusting tokens that v accepts.
func New(t *tenant.Tenant, v TokenValidator) *Server {
	s := &Server{tenant: t, tokens: v}
	s.scanner.init()
	s.handler = s.routes()
	return s
}

// ServeHTTP serves:
//
//	GET  /v1.0/myorg/groups                              $filter, $top (<= 5000), $skip
//	GET  /v1.0/myorg/groups/{groupId}
//	GET  /v1.0/myorg/groups/{groupId}/datasets
//	GET  /v1.0/myorg/groups/{groupId}/datasets/{datasetId}
//	GET  /v1.0/myorg/groups/{groupId}/datasets/{datasetId}/tables   (404: no push datasets here)
//	GET  /v1.0/myorg/groups/{groupId}/reports
//	GET  /v1.0/myorg/groups/{groupId}/reports/{reportId}
//	POST /v1.0/myorg/admin/workspaces/getInfo            lineage, datasourceDetails, datasetSchema, datasetExpressions, getArtifactUsers
//	GET  /v1.0/myorg/admin/workspaces/scanStatus/{scanId}
//	GET  /v1.0/myorg/admin/workspaces/scanResult/{scanId}
//	GET  /v1.0/myorg/admin/workspaces/modified
//
// Paths match case-insensitively, as on the real service.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("RequestId", tenant.NewGUID())
	s.handler.ServeHTTP(w, r)
}

// caller is the authenticated service principal.
type caller struct {
	clientID string
	claims   entra.Claims
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, c caller)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	user := func(method, pattern string, h handlerFunc) {
		mux.Handle(strings.ToLower(BasePath+pattern), s.endpoint(method, false, h))
	}
	admin := func(method, pattern string, h handlerFunc) {
		mux.Handle(strings.ToLower(BasePath+pattern), s.endpoint(method, true, h))
	}
	user(http.MethodGet, "/groups", s.listGroups)
	user(http.MethodGet, "/groups/{group}", s.getGroup)
	user(http.MethodGet, "/groups/{group}/datasets", s.listDatasets)
	user(http.MethodGet, "/groups/{group}/datasets/{dataset}", s.getDataset)
	user(http.MethodGet, "/groups/{group}/datasets/{dataset}/tables", s.listPushTables)
	user(http.MethodGet, "/groups/{group}/reports", s.listReports)
	user(http.MethodGet, "/groups/{group}/reports/{report}", s.getReport)
	admin(http.MethodPost, "/admin/workspaces/getInfo", s.postScan)
	admin(http.MethodGet, "/admin/workspaces/scanStatus/{scan}", s.scanStatus)
	admin(http.MethodGet, "/admin/workspaces/scanResult/{scan}", s.scanResult)
	admin(http.MethodGet, "/admin/workspaces/modified", s.modifiedWorkspaces)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, CodeNotFound,
			"No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
	})
	// Route on the lower-cased path (hence the lower-case wildcard names); IDs from
	// PathValue are lower-case too, and are compared case-insensitively everywhere.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.ToLower(r.URL.Path)
		r2.URL.RawPath = ""
		mux.ServeHTTP(w, r2)
	})
}

// endpoint wraps a handler with the method check and the authorization every Power BI
// call goes through.
func (s *Server) endpoint(method string, adminAPI bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed,
				"The requested resource does not support http method '%s'.", r.Method)
			return
		}
		c, ok := s.authorize(w, r, adminAPI)
		if !ok {
			return
		}
		h(w, r, c)
	})
}

// baseURL is the scheme and host the client used, for @odata.context and Location links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func odataContext(r *http.Request, fragment string) string {
	return baseURL(r) + BasePath + "/$metadata#" + fragment
}
