package entropyapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Ingestion runs. POST .../run answers 202 at once; the sandbox creates the RUNNING row immediately
// (the real scheduler does it "normally within seconds"), waits Options.RunStartDelay, then calls
// Options.Ingest in its own goroutine. The result moves the run to SUCCESS, FAILED or CANCELLED.
// One run per integration at a time: a second trigger is 409 already_running.

// IngestFunc performs a run. ctx is cancelled when the run is cancelled (POST .../cancel, the
// integration is deleted, Restore or Close); the run then ends CANCELLED whatever is returned.
type IngestFunc func(ctx context.Context, run RunContext) IngestResult

// RunContext is what a run works on.
type RunContext struct {
	RunID string
	// Integration is a copy of the integration as stored when the run started, credential included.
	Integration IntegrationRecord
	// Progress, optional to call, publishes intermediate counts and message on the RUNNING row.
	Progress func(IngestResult)
}

// IngestResult is the outcome of a run. Err != nil means FAILED with Err.Error() as the message;
// otherwise SUCCESS with Message (or a summary of the counts when empty).
type IngestResult struct {
	Processed, Created, Updated, Deleted int64
	Err                                  error
	Message                              string
}

// IngestionRun is the API document's IngestionRun schema. Message and CompletedAt are omitted
// while empty (the document is OpenAPI 3.1, where `nullable` has no effect, so null would not
// validate).
type IngestionRun struct {
	IngestionRunID        string     `json:"ingestionRunId"`
	IntegrationExternalID string     `json:"integrationExternalId"`
	Status                string     `json:"status"`
	Message               string     `json:"message,omitempty"`
	AssetsProcessed       int64      `json:"assetsProcessed"`
	AssetsCreated         int64      `json:"assetsCreated"`
	AssetsUpdated         int64      `json:"assetsUpdated"`
	AssetsDeleted         int64      `json:"assetsDeleted"`
	StartedAt             time.Time  `json:"startedAt"`
	CompletedAt           *time.Time `json:"completedAt,omitempty"`
}

// Run statuses (the document's enum).
const (
	RunRunning   = "RUNNING"
	RunSuccess   = "SUCCESS"
	RunFailed    = "FAILED"
	RunCancelled = "CANCELLED"
)

var runStatuses = []string{RunRunning, RunSuccess, RunFailed, RunCancelled}

// triggerRunResponse is the document's TriggerRunResponse.
type triggerRunResponse struct {
	IntegrationExternalID string    `json:"integrationExternalId"`
	ScheduledAt           time.Time `json:"scheduledAt"`
	Deferred              bool      `json:"deferred"`
	Message               string    `json:"message"`
}

// integrationConflict is the document's IntegrationConflict: the one error that is plain
// application/json rather than problem+json.
type integrationConflict struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// runTracker knows the in-flight runs, one per integration at most. Guarded by Server.mu.
type runTracker struct {
	active   map[string]*activeRun // by integration externalId
	finished chan struct{}         // closed and replaced whenever a run ends (for WaitIdle)
}

type activeRun struct {
	row    *rec[IngestionRun] // identity check: the row may be gone (deleted integration, Restore)
	cancel context.CancelFunc
}

func (t *runTracker) init() {
	t.active = map[string]*activeRun{}
	t.finished = make(chan struct{})
}

func (t *runTracker) cancel(externalID string) {
	if a, ok := t.active[externalID]; ok {
		a.cancel()
	}
}

func (t *runTracker) cancelAll() {
	for _, a := range t.active {
		a.cancel()
	}
}

// TriggerRun starts a run now, as POST .../run does, without a permission check (the glue's
// scheduler calls it for runs due by the schedule). It returns an error wrapping ErrAlreadyRunning
// while a run is RUNNING, and ErrNotFound for an unknown integration or when ingestions are
// disabled.
func (s *Server) TriggerRun(externalID string) (string, error) {
	if s.opts.IngestionsDisabled {
		return "", notFound("Ingestions are not enabled on this server.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.integrationOr404(externalID)
	if err != nil {
		return "", err
	}
	return s.startRunLocked(rec.v)
}

// CancelRun requests cancellation of the integration's in-flight run, as POST .../cancel does;
// nothing running is not an error.
func (s *Server) CancelRun(externalID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.integrationOr404(externalID); err != nil {
		return err
	}
	s.runs.cancel(externalID)
	return nil
}

// Runs returns the integration's runs, newest first.
func (s *Server) Runs(externalID string) []IngestionRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runsOfLocked(externalID)
}

// WaitIdle blocks until no run is RUNNING, or ctx ends.
func (s *Server) WaitIdle(ctx context.Context) error {
	for {
		s.mu.Lock()
		idle, finished := len(s.runs.active) == 0, s.runs.finished
		s.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-finished:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Server) runsOfLocked(externalID string) []IngestionRun {
	var recs []*rec[IngestionRun]
	for _, r := range s.st.runs {
		if r.v.IntegrationExternalID == externalID {
			recs = append(recs, r)
		}
	}
	slices.SortFunc(recs, func(a, b *rec[IngestionRun]) int { return int(b.seq - a.seq) })
	out := make([]IngestionRun, len(recs))
	for i, r := range recs {
		out[i] = clone(r.v)
	}
	return out
}

func (s *Server) startRunLocked(integration IntegrationRecord) (string, error) {
	if _, running := s.runs.active[integration.ExternalID]; running {
		return "", fmt.Errorf("integration '%s': %w", integration.ExternalID, ErrAlreadyRunning)
	}
	run := IngestionRun{IngestionRunID: tenant.NewGUID(), IntegrationExternalID: integration.ExternalID, Status: RunRunning, StartedAt: s.now()}
	put(s.st, s.st.runs, run.IngestionRunID, run)
	ctx, cancel := context.WithCancel(context.Background())
	act := &activeRun{row: s.st.runs[run.IngestionRunID], cancel: cancel}
	s.runs.active[integration.ExternalID] = act
	rc := RunContext{RunID: run.IngestionRunID, Integration: clone(integration)}
	rc.Progress = func(p IngestResult) { s.progress(act, p) }
	go s.execute(ctx, act, rc)
	return run.IngestionRunID, nil
}

func (s *Server) execute(ctx context.Context, act *activeRun, rc RunContext) {
	res := s.ingest(ctx, rc)
	s.mu.Lock()
	defer s.mu.Unlock()
	cancelled := ctx.Err() != nil // read before releasing the context below
	act.cancel()
	if s.st.runs[rc.RunID] == act.row {
		run := &act.row.v
		run.AssetsProcessed, run.AssetsCreated, run.AssetsUpdated, run.AssetsDeleted = res.Processed, res.Created, res.Updated, res.Deleted
		switch {
		case cancelled:
			run.Status, run.Message = RunCancelled, "Run cancelled."
		case res.Err != nil:
			run.Status, run.Message = RunFailed, res.Err.Error()
		default:
			run.Status, run.Message = RunSuccess, res.Message
			if run.Message == "" {
				run.Message = fmt.Sprintf("Processed %d assets: %d created, %d updated, %d deleted.", res.Processed, res.Created, res.Updated, res.Deleted)
			}
		}
		completed := s.now()
		run.CompletedAt = &completed
	}
	if s.runs.active[rc.Integration.ExternalID] == act {
		delete(s.runs.active, rc.Integration.ExternalID)
	}
	close(s.runs.finished)
	s.runs.finished = make(chan struct{})
}

// HoldRuns makes runs started from now on stay RUNNING, importing nothing, until release is
// called (release is idempotent). Tests use it for a run that outlasts the provider's wait
// without depending on how long anything takes.
func (s *Server) HoldRuns() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold == nil {
		s.hold = make(chan struct{})
	}
	hold := s.hold
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			close(hold)
			if s.hold == hold {
				s.hold = nil
			}
		})
	}
}

// ingest waits while runs are held and for RunStartDelay, and calls Options.Ingest; a panic
// becomes a FAILED run.
func (s *Server) ingest(ctx context.Context, rc RunContext) (res IngestResult) {
	s.mu.Lock()
	hold := s.hold
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return IngestResult{}
		}
	}
	if d := s.opts.RunStartDelay; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return IngestResult{}
		}
	}
	if ctx.Err() != nil || s.opts.Ingest == nil {
		return IngestResult{}
	}
	defer func() {
		if p := recover(); p != nil {
			res = IngestResult{Err: fmt.Errorf("internal error during ingestion: %v", p)}
		}
	}()
	return s.opts.Ingest(ctx, rc)
}

func (s *Server) progress(act *activeRun, p IngestResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.runs[act.row.v.IngestionRunID] != act.row || act.row.v.Status != RunRunning {
		return
	}
	run := &act.row.v
	run.AssetsProcessed, run.AssetsCreated, run.AssetsUpdated, run.AssetsDeleted = p.Processed, p.Created, p.Updated, p.Deleted
	run.Message = p.Message
}

// listRuns: most recent first; limit 1..200 (default 50, larger values are capped at 200 as
// documented), optional status filter. INFERRED: an unknown integration is 404 (the document
// lists only 200).
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) error {
	limit, err := intParam(r, "limit", 50, 1, -1)
	if err != nil {
		return err
	}
	limit = min(limit, 200)
	status := r.URL.Query().Get("status")
	if status != "" && !slices.Contains(runStatuses, status) {
		return badRequest("Query parameter 'status' must be one of RUNNING, SUCCESS, FAILED, CANCELLED, got %q.", status)
	}
	s.mu.Lock()
	_, err = s.integrationOr404(r.PathValue("externalId"))
	runs := s.runsOfLocked(r.PathValue("externalId"))
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if status != "" {
		runs = slices.DeleteFunc(runs, func(run IngestionRun) bool { return run.Status != status })
	}
	if len(runs) > limit {
		runs = runs[:limit]
	}
	writeJSON(w, http.StatusOK, runs)
	return nil
}

func (s *Server) getLatestRun(w http.ResponseWriter, r *http.Request) error {
	runs := s.Runs(r.PathValue("externalId"))
	if len(runs) == 0 {
		return notFound("Integration '%s' not found, or it has never run.", r.PathValue("externalId"))
	}
	writeJSON(w, http.StatusOK, runs[0])
	return nil
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) error {
	id, runID := r.PathValue("externalId"), r.PathValue("runId")
	s.mu.Lock()
	run, ok := s.st.runs[runID]
	var out IngestionRun
	if ok {
		out = clone(run.v)
	}
	s.mu.Unlock()
	if !ok || out.IntegrationExternalID != id {
		return notFound("Run '%s' not found, or it does not belong to integration '%s'.", runID, id)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// triggerRun answers 202 TriggerRunResponse, 403, 404, or 409 IntegrationConflict (application/json).
func (s *Server) triggerRun(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("externalId")
	s.mu.Lock()
	scheduledAt := s.now()
	rec, err := s.integrationOr404(id)
	if err == nil {
		if p := principalOf(r); !mayActForTeam(p, rec.v.OwnerTeam()) {
			err = forbidden("The API key (team '%s') lacks INGESTION_EDIT for integration '%s'.", p.Team, id)
		} else {
			_, err = s.startRunLocked(rec.v)
		}
	}
	s.mu.Unlock()
	switch {
	case errors.Is(err, ErrAlreadyRunning):
		writeJSON(w, http.StatusConflict, integrationConflict{Status: "already_running", Message: fmt.Sprintf("A run is already in progress for integration '%s'.", id)})
		return nil
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusAccepted, triggerRunResponse{IntegrationExternalID: id, ScheduledAt: scheduledAt, Deferred: false, Message: "Run scheduled; poll /runs/latest for status."})
	return nil
}

// cancelRun answers 204 whether or not a run is in flight; the run observes the cancellation
// through its context and ends CANCELLED.
func (s *Server) cancelRun(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("externalId")
	s.mu.Lock()
	rec, err := s.integrationOr404(id)
	if err == nil {
		if p := principalOf(r); !mayActForTeam(p, rec.v.OwnerTeam()) {
			err = forbidden("The API key (team '%s') lacks INGESTION_EDIT for integration '%s'.", p.Team, id)
		} else {
			s.runs.cancel(id)
		}
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
