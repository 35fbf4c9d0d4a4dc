package entropyapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Principal is the identity behind an API key.
//
// Organization-owner keys may do everything. Team-scoped keys may approve or reject access only for
// provider data products their team owns, cancel access only when their team owns the provider or
// the consumer, and trigger, cancel, PUT or DELETE integrations only when the integration's
// assetOwnerTeamExternalId is their team (org-wide integrations need an organization owner).
type Principal struct {
	Name     string
	OrgOwner bool
	Team     string
}

// Options configures a Server. The zero value is a server nobody can call (no API keys).
type Options struct {
	// APIKeys maps an API key, sent as `x-api-key: K` or `Authorization: Bearer K`, to its identity.
	APIKeys map[string]Principal
	// PageSize is the page size of the paged lists; 0 means the API's 1000 (100 for test results,
	// which are never paged larger than 100). Tests set it small to exercise paging.
	PageSize int
	// IngestionsDisabled emulates a self-hosted server without APPLICATION_INGESTIONS_ENABLED=true:
	// every /api/integrations/** path answers 404.
	IngestionsDisabled bool
	// IntegrationsReadOnly emulates a server whose integrations API is read-and-run only, as the
	// public docs describe it: PUT and DELETE /api/integrations/ingest/{externalId} answer 405 while
	// the reads, runs and cancel work. Integrations are then made "in the UI": with PutIntegration.
	IntegrationsReadOnly bool
	// DataProductsODPS answers data products in the Open Data Product Standard (ODPS) format: a DPS
	// body is stored converted to ODPS, an ODPS body as given (see odps.go).
	DataProductsODPS bool
	// AssetExtraProperties answers assets with properties the API document does not list, such as a
	// server or the UI may add (see assetExtras).
	AssetExtraProperties bool
	// UniqueIntegrationNames makes a PUT whose configuration.name is used by another integration
	// fail with 409 (the product UI says names are unique; the API document does not).
	UniqueIntegrationNames bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Ingest performs a run; nil means every run succeeds with zero counts.
	Ingest IngestFunc
	// RunStartDelay is the pause between the RUNNING row being created and Ingest being called.
	RunStartDelay time.Duration
	// DeleteAssetsInUse makes DELETE /api/integrations/ingest/{id}?deleteAssets=true delete the
	// imported assets even while data products use them. Whether the real server refuses is not
	// documented; this is the worst case, against which the provider's own check is proven.
	DeleteAssetsInUse bool
}

// Server is the emulated Entropy Data API. Create it with New.
type Server struct {
	opts   Options
	router *router

	mu   sync.Mutex
	st   *state
	runs runTracker
	hold chan struct{} // non-nil while HoldRuns holds new runs before they import anything
}

// New returns a Server with the built-in data product types and no other data.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, st: newState()}
	s.runs.init()
	s.router = s.routes()
	return s
}

// Close cancels every in-flight run (their Ingest contexts end) so that a shutdown does not wait
// for them; use WaitIdle to wait until they have ended. The Server still answers requests.
func (s *Server) Close() {
	s.mu.Lock()
	s.runs.cancelAll()
	s.mu.Unlock()
}

// now is the server clock in UTC, truncated to milliseconds like a database timestamp.
func (s *Server) now() time.Time {
	return s.opts.Now().UTC().Truncate(time.Millisecond)
}

func (s *Server) pageSize() int {
	if s.opts.PageSize > 0 {
		return s.opts.PageSize
	}
	return 1000
}

// routes is the whole API surface: one line per endpoint.
func (s *Server) routes() *router {
	rt := &router{}

	// Integrations: the documented read/operate endpoints under both bases; PUT and DELETE only under
	// /api/integrations/ingest (the CLI's write path, not in the API document).
	for _, base := range []string{"/api/integrations", "/api/integrations/ingest"} {
		rt.handle("GET", base, s.listIntegrations)
		rt.handle("GET", base+"/{externalId}", s.getIntegration)
		rt.handle("GET", base+"/{externalId}/runs", s.listRuns)
		rt.handle("GET", base+"/{externalId}/runs/latest", s.getLatestRun)
		rt.handle("GET", base+"/{externalId}/runs/{runId}", s.getRun)
		rt.handle("POST", base+"/{externalId}/run", s.triggerRun)
		rt.handle("POST", base+"/{externalId}/cancel", s.cancelRun)
	}
	if !s.opts.IntegrationsReadOnly {
		rt.handle("PUT", "/api/integrations/ingest/{externalId}", s.putIntegration)
		rt.handle("DELETE", "/api/integrations/ingest/{externalId}", s.deleteIntegration)
	}

	rt.handle("GET", "/api/assets", s.listAssets)
	rt.handle("GET", "/api/assets/{id}", s.getAsset)
	rt.handle("PUT", "/api/assets/{id}", s.putAsset)
	rt.handle("DELETE", "/api/assets/{id}", s.deleteAsset)
	rt.handle("GET", "/api/assets/{id}/assigned-tags", s.getAssignedTags)
	rt.handle("PUT", "/api/assets/{id}/assigned-tags/{tagId...}", s.putAssignedTag)
	rt.handle("DELETE", "/api/assets/{id}/assigned-tags/{tagId...}", s.deleteAssignedTag)

	rt.handle("GET", "/api/dataproducts", s.listDataProducts)
	rt.handle("GET", "/api/dataproducts/{id}", s.getDataProduct)
	rt.handle("PUT", "/api/dataproducts/{id}", s.putDataProduct)
	rt.handle("DELETE", "/api/dataproducts/{id}", s.deleteDataProduct)
	rt.handle("GET", "/api/dataproducts/{id}/score", s.getScore)

	rt.handle("GET", "/api/access", s.listAccess)
	rt.handle("GET", "/api/access/{id}", s.getAccess)
	rt.handle("PUT", "/api/access/{id}", s.putAccess)
	rt.handle("DELETE", "/api/access/{id}", s.deleteAccess)
	rt.handle("POST", "/api/access/{id}/approve", s.approveAccess)
	rt.handle("POST", "/api/access/{id}/reject", s.rejectAccess)
	rt.handle("POST", "/api/access/{id}/cancel", s.cancelAccess)

	rt.handle("GET", "/api/teams", s.listTeams)
	rt.handle("GET", "/api/teams/{id}", s.getTeam)
	rt.handle("PUT", "/api/teams/{id}", s.putTeam)
	rt.handle("DELETE", "/api/teams/{id}", s.deleteTeam)

	rt.handle("GET", "/api/settings/dataproduct-types", s.getDataProductTypes)
	rt.handle("PUT", "/api/settings/dataproduct-types", s.putDataProductTypes)

	rt.handle("GET", "/api/test-results", s.listTestResults)
	rt.handle("POST", "/api/test-results", s.postTestResult)
	rt.handle("GET", "/api/test-results/{id}", s.getTestResult)
	rt.handle("DELETE", "/api/test-results/{id}", s.deleteTestResult)
	return rt
}

// ServeHTTP authenticates the request, then routes it. Every error is a problem+json body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Like the real server, security runs before routing: a bad key gets 403 even on unknown paths.
	p, ok := s.authenticate(r)
	if !ok {
		writeProblem(w, r, &APIError{Status: http.StatusForbidden, Detail: detailBadAPIKey})
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))

	if s.opts.IngestionsDisabled && (r.URL.Path == "/api/integrations" || strings.HasPrefix(r.URL.Path, "/api/integrations/")) {
		writeProblem(w, r, &APIError{Status: http.StatusNotFound, Detail: "No endpoint " + r.Method + " " + r.URL.Path + ". Ingestions are not enabled on this server (APPLICATION_INGESTIONS_ENABLED)."})
		return
	}
	s.router.serve(w, r)
}

const detailBadAPIKey = "The API key was not found or not the expected value."

type principalKey struct{}

// authenticate accepts `x-api-key: K` or `Authorization: Bearer K` (the API document's two schemes).
func (s *Server) authenticate(r *http.Request) (Principal, bool) {
	key := strings.TrimSpace(r.Header.Get("x-api-key"))
	if key == "" {
		auth := r.Header.Get("Authorization")
		if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
			key = strings.TrimSpace(auth[7:])
		}
	}
	if key == "" {
		return Principal{}, false
	}
	p, ok := s.opts.APIKeys[key]
	return p, ok
}

func principalOf(r *http.Request) Principal {
	p, _ := r.Context().Value(principalKey{}).(Principal)
	return p
}

// mayActForTeam reports whether p may change something owned by team ("" = org-wide).
func mayActForTeam(p Principal, team string) bool {
	return p.OrgOwner || (team != "" && p.Team == team)
}
