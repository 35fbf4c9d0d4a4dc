package entropydata

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// TestResult is one data contract test run (spec schema TestResults).
// List results omit Checks; GetTestResult includes them.
type TestResult struct {
	ID                  string      `json:"id"`
	DataContractID      string      `json:"dataContractId"`
	DataContractVersion string      `json:"dataContractVersion"`
	Server              string      `json:"server"` // server key, or "<dataProductId>/<outputPortId>"
	TimestampStart      time.Time   `json:"timestampStart"`
	TimestampEnd        time.Time   `json:"timestampEnd"`
	Result              string      `json:"result"` // passed, failed, warning, error, unknown
	Checks              []TestCheck `json:"checks,omitempty"`
}

// TestCheck is one check of a test run.
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

// UnmarshalJSON accepts RFC 3339 timestamps and the space-separated form the
// datacontract CLI posts and the spec's examples show ("2024-07-03 10:46:28.195230+00:00").
func (r *TestResult) UnmarshalJSON(b []byte) error {
	type plain TestResult
	var w struct {
		plain
		TimestampStart string `json:"timestampStart"`
		TimestampEnd   string `json:"timestampEnd"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = TestResult(w.plain)
	var err error
	if r.TimestampStart, err = parseLooseTime(w.TimestampStart); err != nil {
		return fmt.Errorf("timestampStart: %w", err)
	}
	if r.TimestampEnd, err = parseLooseTime(w.TimestampEnd); err != nil {
		return fmt.Errorf("timestampEnd: %w", err)
	}
	return nil
}

func parseLooseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	s = strings.Replace(s, " ", "T", 1)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	// Without a zone the API means UTC.
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}

// ListTestResultsOptions filters ListTestResults.
type ListTestResultsOptions struct {
	DataContractID string
	Server         string
	// MaxResults stops paging once this many results (newest first) were
	// read; 0 reads all pages.
	MaxResults int
}

// ListTestResults returns test results, newest first (100 per page).
func (c *Client) ListTestResults(ctx context.Context, opts ListTestResultsOptions) ([]TestResult, error) {
	q := url.Values{}
	if opts.DataContractID != "" {
		q.Set("dataContractId", opts.DataContractID)
	}
	if opts.Server != "" {
		q.Set("server", opts.Server)
	}
	out := []TestResult{}
	err := walkPages(ctx, c, call{op: "list test results", method: http.MethodGet, path: []string{"test-results"}, query: q},
		func(page []TestResult) bool {
			out = append(out, page...)
			if opts.MaxResults > 0 && len(out) >= opts.MaxResults {
				out = out[:opts.MaxResults]
				return false
			}
			return true
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetTestResult returns one test run including its checks.
func (c *Client) GetTestResult(ctx context.Context, id string) (*TestResult, error) {
	var out TestResult
	if _, err := c.do(ctx, call{op: "get test result", object: id, method: http.MethodGet, path: []string{"test-results", id}, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}
