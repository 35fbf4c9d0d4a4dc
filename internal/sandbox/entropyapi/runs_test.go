package entropyapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func waitIdle(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.WaitIdle(ctx); err != nil {
		t.Fatalf("WaitIdle: %v", err)
	}
}

// gate is an IngestFunc that blocks until released, then returns the queued result.
type gate struct {
	started chan RunContext
	release chan IngestResult
}

func newGate() *gate {
	return &gate{started: make(chan RunContext, 10), release: make(chan IngestResult, 10)}
}

func (g *gate) ingest(ctx context.Context, rc RunContext) IngestResult {
	g.started <- rc
	select {
	case res := <-g.release:
		return res
	case <-ctx.Done():
		return IngestResult{Processed: 1}
	}
}

func (g *gate) waitStarted(t *testing.T) RunContext {
	t.Helper()
	select {
	case rc := <-g.started:
		return rc
	case <-time.After(5 * time.Second):
		t.Fatal("Ingest was not called")
		return RunContext{}
	}
}

func newRunHarness(t *testing.T, g *gate) *harness {
	h := newHarness(t, Options{Ingest: g.ingest})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "finance")).want(t, 200)
	h.do("PUT", "/api/integrations/ingest/other", powerBIBody("Other", "finance")).want(t, 200)
	return h
}

func TestRunLifecycle(t *testing.T) {
	g := newGate()
	h := newRunHarness(t, g)

	h.do("GET", "/api/integrations/fin/runs/latest", nil).problem(t, 404, "Integration 'fin' not found, or it has never run.")
	if runs := h.do("GET", "/api/integrations/fin/runs", nil).want(t, 200).array(t); len(runs) != 0 {
		t.Fatalf("runs before any run: %v", runs)
	}

	trig := h.do("POST", "/api/integrations/fin/run", nil).want(t, 202).object(t)
	if trig["integrationExternalId"] != "fin" || trig["deferred"] != false || trig["message"] != "Run scheduled; poll /runs/latest for status." {
		t.Fatalf("trigger response %v", trig)
	}
	scheduledAt, err := time.Parse(time.RFC3339Nano, trig["scheduledAt"].(string))
	if err != nil {
		t.Fatal(err)
	}
	rc := g.waitStarted(t)
	if rc.Integration.Credential.Details["clientSecret"] != "s3cret-1" || rc.Integration.ExternalID != "fin" || rc.RunID == "" {
		t.Fatalf("run context %+v", rc)
	}

	running := h.do("GET", "/api/integrations/fin/runs/latest", nil).want(t, 200).object(t)
	checkRun(t, running)
	if running["status"] != "RUNNING" || running["ingestionRunId"] != rc.RunID {
		t.Fatalf("latest %v", running)
	}
	for _, k := range []string{"completedAt", "message"} {
		if _, ok := running[k]; ok {
			t.Errorf("a RUNNING run must not carry %s", k)
		}
	}
	if started, _ := time.Parse(time.RFC3339Nano, running["startedAt"].(string)); started.Before(scheduledAt) {
		t.Errorf("startedAt %v before scheduledAt %v", started, scheduledAt)
	}
	list := h.do("GET", "/api/integrations", nil).array(t)
	if lr := list[0]["latestRun"].(map[string]any); lr["status"] != "RUNNING" {
		t.Errorf("list latestRun %v", lr)
	}

	// A second trigger while RUNNING: 409 IntegrationConflict, plain application/json.
	conflict := h.do("POST", "/api/integrations/ingest/fin/run", nil).want(t, 409)
	if ct := conflict.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("409 content type %q", ct)
	}
	if c := conflict.object(t); c["status"] != "already_running" || c["message"] == "" || len(c) != 2 {
		t.Errorf("conflict body %v", c)
	}
	if _, err := h.srv.TriggerRun("fin"); !errors.Is(err, ErrAlreadyRunning) {
		t.Errorf("TriggerRun while running: %v", err)
	}

	g.release <- IngestResult{Processed: 7, Created: 3, Updated: 2, Deleted: 1}
	waitIdle(t, h.srv)
	done := h.do("GET", "/api/integrations/fin/runs/latest", nil).want(t, 200).object(t)
	checkRun(t, done)
	if done["status"] != "SUCCESS" || done["assetsProcessed"] != 7.0 || done["assetsCreated"] != 3.0 || done["assetsUpdated"] != 2.0 || done["assetsDeleted"] != 1.0 {
		t.Fatalf("finished run %v", done)
	}
	if done["completedAt"] == nil || !strings.Contains(done["message"].(string), "7") {
		t.Errorf("finished run %v", done)
	}

	// A failing run, then a run with its own message.
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	g.waitStarted(t)
	g.release <- IngestResult{Processed: 2, Err: errors.New("AADSTS7000215: Invalid client secret provided.")}
	waitIdle(t, h.srv)
	failed := h.do("GET", "/api/integrations/fin/runs/latest", nil).object(t)
	if failed["status"] != "FAILED" || failed["message"] != "AADSTS7000215: Invalid client secret provided." || failed["assetsProcessed"] != 2.0 {
		t.Fatalf("failed run %v", failed)
	}
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	g.waitStarted(t)
	g.release <- IngestResult{Message: "nothing to import"}
	waitIdle(t, h.srv)

	runs := h.do("GET", "/api/integrations/fin/runs", nil).want(t, 200).array(t)
	var statuses []string
	for _, r := range runs {
		checkRun(t, r)
		statuses = append(statuses, r["status"].(string))
	}
	if fmt.Sprint(statuses) != "[SUCCESS FAILED SUCCESS]" || runs[0]["message"] != "nothing to import" {
		t.Fatalf("runs newest first: %v", runs)
	}
	if got := h.do("GET", "/api/integrations/fin/runs?limit=1", nil).array(t); len(got) != 1 || got[0]["ingestionRunId"] != runs[0]["ingestionRunId"] {
		t.Errorf("limit=1: %v", got)
	}
	if got := h.do("GET", "/api/integrations/fin/runs?status=FAILED", nil).array(t); len(got) != 1 || got[0]["status"] != "FAILED" {
		t.Errorf("status=FAILED: %v", got)
	}
	h.do("GET", "/api/integrations/fin/runs?limit=500", nil).want(t, 200) // capped, not rejected
	h.do("GET", "/api/integrations/fin/runs?limit=0", nil).problem(t, 400, "limit")
	h.do("GET", "/api/integrations/fin/runs?status=DONE", nil).problem(t, 400, "status")
	h.do("GET", "/api/integrations/nope/runs", nil).problem(t, 404)

	// A single run, and the same run id under another integration.
	id := runs[1]["ingestionRunId"].(string)
	one := h.do("GET", "/api/integrations/ingest/fin/runs/"+id, nil).want(t, 200).object(t)
	if one["status"] != "FAILED" {
		t.Errorf("run %v", one)
	}
	h.do("GET", "/api/integrations/other/runs/"+id, nil).problem(t, 404, "does not belong")
	h.do("GET", "/api/integrations/fin/runs/not-a-uuid", nil).problem(t, 404)
	h.do("POST", "/api/integrations/nope/run", nil).problem(t, 404)
}

func TestRunCancel(t *testing.T) {
	g := newGate()
	h := newRunHarness(t, g)

	h.do("POST", "/api/integrations/fin/cancel", nil).want(t, 204) // nothing running: still 204
	h.do("POST", "/api/integrations/nope/cancel", nil).problem(t, 404)

	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	g.waitStarted(t)
	r := h.do("POST", "/api/integrations/fin/cancel", nil).want(t, 204)
	if len(r.body) != 0 {
		t.Errorf("204 with body %s", r.body)
	}
	waitIdle(t, h.srv)
	run := h.do("GET", "/api/integrations/fin/runs/latest", nil).object(t)
	checkRun(t, run)
	if run["status"] != "CANCELLED" || run["completedAt"] == nil {
		t.Fatalf("cancelled run %v", run)
	}
	// A new run can start after the cancellation.
	if _, err := h.srv.TriggerRun("fin"); err != nil {
		t.Fatal(err)
	}
	g.waitStarted(t)
	if err := h.srv.CancelRun("fin"); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, h.srv)
	if runs := h.srv.Runs("fin"); len(runs) != 2 || runs[0].Status != RunCancelled {
		t.Fatalf("runs %+v", runs)
	}
}

func TestRunStartDelayAndDefaults(t *testing.T) {
	var calls atomic.Int32
	h := newHarness(t, Options{RunStartDelay: time.Hour, Ingest: func(ctx context.Context, rc RunContext) IngestResult {
		calls.Add(1)
		return IngestResult{}
	}})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "")).want(t, 200)
	id, err := h.srv.TriggerRun("fin")
	if err != nil || !uuidRE.MatchString(id) {
		t.Fatalf("TriggerRun: %q, %v", id, err)
	}
	if runs := h.srv.Runs("fin"); runs[0].Status != RunRunning {
		t.Fatalf("the RUNNING row exists before Ingest: %+v", runs)
	}
	h.do("POST", "/api/integrations/fin/cancel", nil).want(t, 204)
	waitIdle(t, h.srv)
	if runs := h.srv.Runs("fin"); runs[0].Status != RunCancelled || calls.Load() != 0 {
		t.Fatalf("cancel during the start delay: %+v, %d calls", runs, calls.Load())
	}
	if _, err := h.srv.TriggerRun("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}

	// Without Ingest, runs succeed with zero counts.
	h2 := newHarness(t, Options{})
	seedTeams(t, h2.srv)
	h2.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "")).want(t, 200)
	h2.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	waitIdle(t, h2.srv)
	if runs := h2.srv.Runs("fin"); runs[0].Status != RunSuccess || runs[0].AssetsProcessed != 0 || runs[0].CompletedAt == nil {
		t.Fatalf("default run %+v", runs)
	}
}

func TestRunProgressAndPanic(t *testing.T) {
	progressed := make(chan struct{})
	finish := make(chan struct{})
	h := newHarness(t, Options{Ingest: func(ctx context.Context, rc RunContext) IngestResult {
		if rc.Integration.Name() == "Panics" {
			panic("boom")
		}
		rc.Progress(IngestResult{Processed: 5, Created: 5, Message: "workspace 1 of 3"})
		close(progressed)
		<-finish
		return IngestResult{Processed: 9, Created: 9}
	}})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "")).want(t, 200)
	h.do("PUT", "/api/integrations/ingest/bad", powerBIBody("Panics", "")).want(t, 200)

	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	<-progressed
	run := h.do("GET", "/api/integrations/fin/runs/latest", nil).object(t)
	if run["status"] != "RUNNING" || run["assetsCreated"] != 5.0 || run["message"] != "workspace 1 of 3" {
		t.Errorf("progress %v", run)
	}
	close(finish)

	h.do("POST", "/api/integrations/bad/run", nil).want(t, 202)
	waitIdle(t, h.srv)
	if runs := h.srv.Runs("bad"); runs[0].Status != RunFailed || !strings.Contains(runs[0].Message, "boom") {
		t.Fatalf("panicking run %+v", runs)
	}
	if runs := h.srv.Runs("fin"); runs[0].Status != RunSuccess || runs[0].AssetsCreated != 9 {
		t.Fatalf("run %+v", runs)
	}
}

func TestDeleteIntegrationCancelsRun(t *testing.T) {
	g := newGate()
	h := newRunHarness(t, g)
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	g.waitStarted(t)
	h.do("DELETE", "/api/integrations/ingest/fin", nil).want(t, 204)
	waitIdle(t, h.srv)
	if len(h.srv.Runs("fin")) != 0 {
		t.Error("the cancelled run of a deleted integration came back")
	}
	// Re-creating the integration starts with no history and can run.
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "finance")).want(t, 200)
	h.do("GET", "/api/integrations/fin/runs/latest", nil).problem(t, 404)
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	g.waitStarted(t)
	g.release <- IngestResult{}
	waitIdle(t, h.srv)
}

// HoldRuns keeps runs RUNNING, importing nothing, until released.
func TestHoldRuns(t *testing.T) {
	ingested := make(chan struct{}, 1)
	h := newHarness(t, Options{Ingest: func(context.Context, RunContext) IngestResult {
		ingested <- struct{}{}
		return IngestResult{}
	}})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("fin", "finance")).want(t, 200)
	release := h.srv.HoldRuns()
	if _, err := h.srv.TriggerRun("fin"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ingested:
		t.Fatal("a held run imported")
	default:
	}
	if runs := h.srv.Runs("fin"); len(runs) != 1 || runs[0].Status != RunRunning {
		t.Fatalf("runs while held: %+v", runs)
	}
	release()
	release() // idempotent
	waitIdle(t, h.srv)
	<-ingested
	if runs := h.srv.Runs("fin"); runs[0].Status != RunSuccess {
		t.Errorf("run after release: %+v", runs[0])
	}
}
