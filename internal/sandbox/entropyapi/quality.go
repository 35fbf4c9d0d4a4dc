package entropyapi

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Quality data: test results of data contract runs (documented, EXPERIMENTAL) and a per data
// product score (undocumented; the CLI calls it).

// TestResult is the API document's TestResults schema.
type TestResult struct {
	ID                  string `json:"id"`
	DataContractID      string `json:"dataContractId"`
	DataContractVersion string `json:"dataContractVersion"`
	// Server is the tested server; for an output port it is "<dataProductId>/<outputPortId>".
	Server         string      `json:"server"`
	TimestampStart time.Time   `json:"timestampStart"`
	TimestampEnd   time.Time   `json:"timestampEnd"`
	Result         string      `json:"result"` // passed, failed, warning, error, unknown
	Checks         []TestCheck `json:"checks,omitempty"`
	Logs           []TestLog   `json:"logs,omitempty"`
}

// TestCheck is one entry of TestResults.checks (type and result are required).
type TestCheck struct {
	Type    string `json:"type"`
	Name    string `json:"name,omitempty"`
	Result  string `json:"result"`
	Engine  string `json:"engine,omitempty"`
	Model   string `json:"model,omitempty"`
	Field   string `json:"field,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Details string `json:"details,omitempty"`
}

// TestLog is one entry of TestResults.logs.
type TestLog struct {
	Level     string     `json:"level,omitempty"`
	Message   string     `json:"message,omitempty"`
	Timestamp *time.Time `json:"timestamp,omitempty"`
}

var testOutcomes = []string{"passed", "failed", "warning", "error", "unknown"}

// testResultWire is the POST body: timestamps as strings, because the Data Contract CLI sends them
// as "2024-07-03 10:46:28.195230+00:00" (the document's own example), which is not RFC 3339. The
// server stores and returns RFC 3339, which the document's date-time format requires.
type testResultWire struct {
	ID                  string      `json:"id"`
	DataContractID      string      `json:"dataContractId"`
	DataContractVersion string      `json:"dataContractVersion"`
	Server              string      `json:"server"`
	TimestampStart      string      `json:"timestampStart"`
	TimestampEnd        string      `json:"timestampEnd"`
	Result              string      `json:"result"`
	Checks              []TestCheck `json:"checks"`
	Logs                []struct {
		Level     string `json:"level"`
		Message   string `json:"message"`
		Timestamp string `json:"timestamp"`
	} `json:"logs"`
}

func parseTimestamp(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// AddTestResult stores a test result with the same rules as POST /api/test-results.
func (s *Server) AddTestResult(tr TestResult) error {
	var vs violations
	checkTestResult(tr, &vs)
	if err := vs.err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	put(s.st, s.st.testResults, tr.ID, clone(tr))
	return nil
}

// checkTestResult adds a violation per missing or invalid field. A timestamp that could not be
// parsed has already been reported by the caller and is not reported again as missing.
func checkTestResult(tr TestResult, vs *violations) {
	reported := map[string]bool{}
	for _, v := range *vs {
		reported[v.Field] = true
	}
	for field, v := range map[string]string{"id": tr.ID, "dataContractId": tr.DataContractID, "dataContractVersion": tr.DataContractVersion, "server": tr.Server} {
		if strings.TrimSpace(v) == "" {
			vs.add(field, "must not be blank")
		}
	}
	if tr.TimestampStart.IsZero() && !reported["timestampStart"] {
		vs.add("timestampStart", "must not be null")
	}
	if tr.TimestampEnd.IsZero() && !reported["timestampEnd"] {
		vs.add("timestampEnd", "must not be null")
	}
	if !slices.Contains(testOutcomes, tr.Result) {
		vs.add("result", "must be one of: "+strings.Join(testOutcomes, ", "))
	}
	for i, c := range tr.Checks {
		if strings.TrimSpace(c.Type) == "" {
			vs.add(fmt.Sprintf("checks[%d].type", i), "must not be blank")
		}
		if !slices.Contains(testOutcomes, c.Result) {
			vs.add(fmt.Sprintf("checks[%d].result", i), "must be one of: "+strings.Join(testOutcomes, ", "))
		}
	}
}

// postTestResult answers 200 with no body, as documented; a missing or invalid field is a 400 with
// violations. INFERRED: the document says the data contract "must be available in the system"; the
// sandbox has no data contracts and does not check it. Posting an existing id replaces it.
func (s *Server) postTestResult(w http.ResponseWriter, r *http.Request) error {
	var in testResultWire
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	tr := TestResult{ID: in.ID, DataContractID: in.DataContractID, DataContractVersion: in.DataContractVersion, Server: in.Server, Result: in.Result, Checks: in.Checks}
	var vs violations
	for field, raw := range map[string]string{"timestampStart": in.TimestampStart, "timestampEnd": in.TimestampEnd} {
		if raw == "" {
			continue
		}
		t, ok := parseTimestamp(raw)
		if !ok {
			vs.add(field, "must be a date-time")
		}
		if field == "timestampStart" {
			tr.TimestampStart = t
		} else {
			tr.TimestampEnd = t
		}
	}
	for i, l := range in.Logs {
		log := TestLog{Level: l.Level, Message: l.Message}
		if l.Timestamp != "" {
			t, ok := parseTimestamp(l.Timestamp)
			if !ok {
				vs.add(fmt.Sprintf("logs[%d].timestamp", i), "must be a date-time")
			}
			log.Timestamp = &t
		}
		tr.Logs = append(tr.Logs, log)
	}
	checkTestResult(tr, &vs)
	if err := vs.err(); err != nil {
		return err
	}
	if err := s.AddTestResult(tr); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// listTestResults: newest first, filters dataContractId and server, at most 100 per page, checks
// and logs omitted (as documented).
func (s *Server) listTestResults(w http.ResponseWriter, r *http.Request) error {
	p, err := pageNumber(r)
	if err != nil {
		return err
	}
	contract, server := r.URL.Query().Get("dataContractId"), r.URL.Query().Get("server")
	s.mu.Lock()
	all := clone(ordered(s.st.testResults))
	s.mu.Unlock()
	slices.Reverse(all)
	items := []TestResult{}
	for _, tr := range all {
		if (contract != "" && tr.DataContractID != contract) || (server != "" && tr.Server != server) {
			continue
		}
		tr.Checks, tr.Logs = nil, nil
		items = append(items, tr)
	}
	writePage(w, r, items, p, min(s.pageSize(), 100))
	return nil
}

func (s *Server) getTestResult(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	tr, ok := s.st.testResults[r.PathValue("id")]
	var out TestResult
	if ok {
		out = clone(tr.v)
	}
	s.mu.Unlock()
	if !ok {
		return notFound("Test result '%s' not found.", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) deleteTestResult(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	s.mu.Lock()
	_, ok := s.st.testResults[id]
	delete(s.st.testResults, id)
	s.mu.Unlock()
	if !ok {
		return notFound("Test result '%s' not found.", id)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// DataProductScore is the body of GET /api/dataproducts/{id}/score.
//
// INFERRED shape (the endpoint is not in the API document; the CLI calls it): dataProductId,
// score 0-100 (null when there is no quality data), updatedAt (null likewise) and the per output
// port breakdown it was computed from. Each output port's score comes from its latest test result
// (server "<dataProductId>/<outputPortId>", or the port's dataContractId): the share of passed
// checks (a warning counts half), or 100/50/0 for a passed/warning/other result without checks.
// The product's score is the mean over the ports that have results. SetDataProductScore overrides
// score and updatedAt.
type DataProductScore struct {
	DataProductID string            `json:"dataProductId"`
	Score         *float64          `json:"score"`
	UpdatedAt     *time.Time        `json:"updatedAt"`
	OutputPorts   []OutputPortScore `json:"outputPorts"`
}

// OutputPortScore is one output port's part of a DataProductScore.
type OutputPortScore struct {
	OutputPortID string     `json:"outputPortId"`
	Score        *float64   `json:"score"`
	TestResultID string     `json:"testResultId,omitempty"`
	Result       string     `json:"result,omitempty"`
	TestedAt     *time.Time `json:"testedAt,omitempty"`
}

// SetDataProductScore overrides the computed score of a data product.
func (s *Server) SetDataProductScore(id string, score float64) error {
	if score < 0 || score > 100 || math.IsNaN(score) {
		return unprocessable("A score must be between 0 and 100, got %v.", score)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.products[id]; !ok {
		return notFound("Data product '%s' not found.", id)
	}
	now := s.now()
	s.st.scores[id] = DataProductScore{DataProductID: id, Score: &score, UpdatedAt: &now}
	return nil
}

// DataProductScore returns the score as GET /api/dataproducts/{id}/score does.
func (s *Server) DataProductScore(id string) (DataProductScore, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.st.products[id]
	if !ok {
		return DataProductScore{}, false
	}
	return s.scoreLocked(p.v.view), true
}

func (s *Server) scoreLocked(v dpsView) DataProductScore {
	results := ordered(s.st.testResults)
	out := DataProductScore{DataProductID: v.ID, OutputPorts: []OutputPortScore{}}
	var sum float64
	var n int
	for _, port := range v.OutputPorts {
		ps := OutputPortScore{OutputPortID: port.ID}
		var latest *TestResult
		for i := range results {
			tr := &results[i]
			if tr.Server != v.ID+"/"+port.ID && (port.DataContractID == "" || tr.DataContractID != port.DataContractID) {
				continue
			}
			if latest == nil || !tr.TimestampEnd.Before(latest.TimestampEnd) {
				latest = tr
			}
		}
		if latest != nil {
			score := resultScore(*latest)
			end := latest.TimestampEnd
			ps.Score, ps.TestResultID, ps.Result, ps.TestedAt = &score, latest.ID, latest.Result, &end
			sum += score
			n++
			if out.UpdatedAt == nil || end.After(*out.UpdatedAt) {
				out.UpdatedAt = &end
			}
		}
		out.OutputPorts = append(out.OutputPorts, ps)
	}
	if n > 0 {
		score := math.Round(sum/float64(n)*10) / 10
		out.Score = &score
	}
	if o, ok := s.st.scores[v.ID]; ok {
		out.Score, out.UpdatedAt = o.Score, o.UpdatedAt
	}
	return out
}

func resultScore(tr TestResult) float64 {
	value := func(result string) float64 {
		switch result {
		case "passed":
			return 1
		case "warning":
			return 0.5
		}
		return 0
	}
	if len(tr.Checks) == 0 {
		return 100 * value(tr.Result)
	}
	var sum float64
	for _, c := range tr.Checks {
		sum += value(c.Result)
	}
	return math.Round(sum/float64(len(tr.Checks))*1000) / 10
}

func (s *Server) getScore(w http.ResponseWriter, r *http.Request) error {
	score, ok := s.DataProductScore(r.PathValue("id"))
	if !ok {
		return notFound("Data product '%s' not found.", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, score)
	return nil
}
