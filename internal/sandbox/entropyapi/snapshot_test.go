package entropyapi

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestSnapshotRestore(t *testing.T) {
	clock := &fixedClock{t: mustTime("2026-03-10T12:00:00Z")}
	g := newGate()
	h := newHarness(t, Options{Now: clock.now, Ingest: g.ingest})
	seedProducts(t, h.srv)
	_ = h.srv.PutTeam(Team{ID: "ops", Name: "Ops", Type: "Platform Team", Parent: "finance"})
	h.do("PUT", "/api/assets/powerbi-model-1", semanticModelAsset()).want(t, 200)
	h.do("PUT", "/api/assets/powerbi-model-1/assigned-tags/pii", nil).want(t, 200)
	h.do("PUT", "/api/access/a", accessBody("a", "snowflake-orders", "orders", "revenue-report")).want(t, 200)
	h.do("POST", "/api/access/a/approve", nil).want(t, 200)
	h.do("POST", "/api/access/a/cancel", `{"endDate":"2026-04-01"}`).want(t, 200)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "finance")).want(t, 200)
	h.do("PUT", "/api/integrations/ingest/snow", map[string]any{
		"configuration": map[string]any{"source": "snowflake", "name": "Snow", "filters": map[string]any{"databases": []string{"DP_*"}}},
		"credential":    map[string]any{"type": "key_pair", "details": map[string]any{"privateKey": "k"}},
	}).want(t, 200)
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	g.waitStarted(t)
	g.release <- IngestResult{Processed: 3, Created: 3}
	waitIdle(t, h.srv)
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202) // left RUNNING in the snapshot
	g.waitStarted(t)
	h.do("POST", "/api/test-results", cliTestResult("t1", "snowflake-orders/orders", "passed", "2026-03-05T00:00:00Z", "passed")).want(t, 200)
	if err := h.srv.SetDataProductScore("revenue-report", 40); err != nil {
		t.Fatal(err)
	}
	types := h.srv.DataProductTypes()
	types = append(types, DataProductType{ID: "dashboard", Behavior: "data-consumer", Labels: map[string]string{"en": "Dashboard"}})
	if err := h.srv.PutDataProductTypes(types); err != nil {
		t.Fatal(err)
	}

	snap, err := h.srv.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(snap, []byte("s3cret-1")) {
		t.Error("the snapshot must keep credentials")
	}

	h2 := newHarness(t, Options{Now: clock.now})
	if err := h2.srv.Restore(snap); err != nil {
		t.Fatal(err)
	}
	// Everything a client can read is the same, except that the RUNNING run became FAILED.
	for _, path := range []string{
		"/api/teams", "/api/teams/ops", "/api/assets", "/api/assets/powerbi-model-1", "/api/assets/powerbi-model-1/assigned-tags",
		"/api/dataproducts", "/api/dataproducts/snowflake-orders", "/api/dataproducts/revenue-report/score", "/api/dataproducts/snowflake-orders/score",
		"/api/access", "/api/access/a", "/api/integrations/fin", "/api/integrations/snow",
		"/api/settings/dataproduct-types", "/api/test-results", "/api/test-results/t1",
	} {
		a, b := h.do("GET", path, nil).want(t, 200).body, h2.do("GET", path, nil).want(t, 200).body
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after restore:\n%s\n%s", path, a, b)
		}
	}
	runs := h2.srv.Runs("fin")
	if len(runs) != 2 || runs[0].Status != RunFailed || !strings.Contains(runs[0].Message, "restart") || runs[0].CompletedAt == nil || runs[1].AssetsCreated != 3 {
		t.Fatalf("restored runs %+v", runs)
	}
	if rec, _ := h2.srv.Integration("fin"); rec.Credential.Details["clientSecret"] != "s3cret-1" {
		t.Error("credential lost")
	}
	// The restored server works: the integration can run, and a second snapshot is stable.
	h2.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
	waitIdle(t, h2.srv)
	snap2, _ := h2.srv.Snapshot()
	h3 := newHarness(t, Options{Now: clock.now})
	if err := h3.srv.Restore(snap2); err != nil {
		t.Fatal(err)
	}
	if snap3, _ := h3.srv.Snapshot(); !bytes.Equal(snap2, snap3) {
		t.Errorf("snapshot of a restored server differs:\n%s\n%s", snap2, snap3)
	}

	// Restoring over a busy server cancels its runs; bad input leaves the state alone.
	if err := h.srv.Restore(snap); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, h.srv)
	for _, bad := range []string{`{`, `{"version": 99}`, `{"version": 1, "dataProducts": [{"no": "id"}]}`} {
		if err := h3.srv.Restore([]byte(bad)); err == nil {
			t.Errorf("Restore(%s) accepted", bad)
		}
	}
	if len(h3.srv.Teams()) != 3 {
		t.Error("a failed Restore changed the state")
	}
}

// TestConcurrentUse runs HTTP writers, readers, runs whose Ingest writes assets, and snapshots at
// once; `go test -race` checks the locking.
func TestConcurrentUse(t *testing.T) {
	var s *Server
	s = New(Options{APIKeys: testKeys, PageSize: 3, Ingest: func(ctx context.Context, rc RunContext) IngestResult {
		var res IngestResult
		for i := range 5 {
			created, _, err := s.UpsertAsset(Asset{ID: fmt.Sprintf("%s-%d", rc.Integration.ExternalID, i), Info: AssetInfo{Owner: "finance"}, Custom: map[string]any{"integrationExternalId": rc.Integration.ExternalID}})
			if err != nil {
				return IngestResult{Err: err}
			}
			res.Processed++
			if created {
				res.Created++
			}
			rc.Progress(res)
		}
		return res
	}})
	h := &harness{t: t, srv: s}
	h.ts = newTestServerFor(t, s)
	seedProducts(t, s)
	for i := range 4 {
		h.do("PUT", fmt.Sprintf("/api/integrations/ingest/i%d", i), powerBIBody(fmt.Sprintf("I%d", i), "finance")).want(t, 200)
	}

	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				id := fmt.Sprintf("i%d", (w+i)%4)
				switch i % 5 {
				case 0:
					h.do("POST", "/api/integrations/"+id+"/run", nil)
				case 1:
					h.do("GET", "/api/integrations", nil)
					h.do("GET", "/api/integrations/"+id+"/runs", nil)
				case 2:
					h.do("PUT", fmt.Sprintf("/api/assets/w%d-%d", w, i), map[string]any{"id": fmt.Sprintf("w%d-%d", w, i), "info": map[string]any{"name": "x"}})
					h.do("GET", "/api/assets?p=1", nil)
				case 3:
					h.do("PUT", fmt.Sprintf("/api/access/w%d", w), accessBody(fmt.Sprintf("w%d", w), "snowflake-orders", "orders", "revenue-report"))
					h.do("POST", fmt.Sprintf("/api/access/w%d/approve", w), nil)
					h.do("GET", "/api/access", nil)
				case 4:
					if _, err := s.Snapshot(); err != nil {
						t.Error(err)
					}
					h.do("POST", "/api/integrations/"+id+"/cancel", nil)
				}
			}
		}()
	}
	wg.Wait()
	waitIdle(t, s)
	for _, rec := range s.Integrations() {
		for _, run := range s.Runs(rec.ExternalID) {
			if run.Status == RunRunning {
				t.Errorf("run %s still RUNNING after WaitIdle", run.IngestionRunID)
			}
		}
	}
}
