package entropyapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Snapshot and Restore let the standalone sandbox keep its state in a file between restarts.
// The snapshot is JSON, lists in creation order, and it contains the integrations' credentials
// (secrets in clear text): keep the file private.

const snapshotVersion = 1

type snapshot struct {
	Version          int                 `json:"version"`
	Teams            []Team              `json:"teams"`
	Assets           []Asset             `json:"assets"`
	DataProducts     []json.RawMessage   `json:"dataProducts"`
	Access           []storedAccess      `json:"access"`
	Integrations     []IntegrationRecord `json:"integrations"`
	Runs             []IngestionRun      `json:"runs"` // oldest first
	DataProductTypes []DataProductType   `json:"dataProductTypes"`
	TestResults      []TestResult        `json:"testResults"`
	Scores           []DataProductScore  `json:"scores"` // SetDataProductScore overrides
}

// Snapshot returns the whole state as JSON. Runs still RUNNING are included as RUNNING.
func (s *Server) Snapshot() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := snapshot{
		Version:          snapshotVersion,
		Teams:            ordered(s.st.teams),
		Assets:           ordered(s.st.assets),
		Access:           ordered(s.st.access),
		Integrations:     ordered(s.st.integrations),
		Runs:             ordered(s.st.runs),
		DataProductTypes: s.st.types,
		TestResults:      ordered(s.st.testResults),
	}
	for _, p := range ordered(s.st.products) {
		snap.DataProducts = append(snap.DataProducts, p.body)
	}
	for _, sp := range ordered(s.st.products) {
		if o, ok := s.st.scores[sp.view.ID]; ok {
			snap.Scores = append(snap.Scores, o)
		}
	}
	return json.MarshalIndent(snap, "", "  ")
}

// Restore replaces the whole state with a snapshot. In-flight runs are cancelled; runs that were
// RUNNING when the snapshot was taken become FAILED, since nothing is executing them any more.
// On error the state is unchanged.
func (s *Server) Restore(b []byte) error {
	var snap snapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		return fmt.Errorf("entropyapi: restore: %w", err)
	}
	if snap.Version != snapshotVersion {
		return fmt.Errorf("entropyapi: restore: unsupported snapshot version %d (want %d)", snap.Version, snapshotVersion)
	}
	st := newState()
	for _, t := range snap.Teams {
		put(st, st.teams, t.ID, t)
	}
	for _, a := range snap.Assets {
		put(st, st.assets, a.ID, a)
	}
	for i, body := range snap.DataProducts {
		var compact bytes.Buffer
		view, err := viewOfDocument(body)
		if err != nil || view.ID == "" || json.Compact(&compact, body) != nil {
			return fmt.Errorf("entropyapi: restore: data product #%d is not a DPS or ODPS document", i)
		}
		put(st, st.products, view.ID, storedProduct{body: compact.Bytes(), view: view})
	}
	for _, a := range snap.Access {
		put(st, st.access, a.Access.ID, a)
	}
	for _, i := range snap.Integrations {
		put(st, st.integrations, i.ExternalID, i)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, run := range snap.Runs {
		if run.Status == RunRunning {
			run.Status, run.Message, run.CompletedAt = RunFailed, "Run interrupted by a sandbox restart.", ptr(now)
		}
		put(st, st.runs, run.IngestionRunID, run)
	}
	if len(snap.DataProductTypes) > 0 {
		st.types = snap.DataProductTypes
	}
	for _, tr := range snap.TestResults {
		put(st, st.testResults, tr.ID, tr)
	}
	for _, o := range snap.Scores {
		st.scores[o.DataProductID] = o
	}
	s.runs.cancelAll()
	s.st = st
	return nil
}

func ptr(t time.Time) *time.Time { return &t }
