package entropydata

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// Error bodies as the API documents them: RFC 7807 problem+json for every
// /api/** error; ValidationProblemDetail adds violations; the run-conflict
// 409 of POST .../run is application/json {"status":"already_running","message":...}.
const (
	problem404  = `{"type":"about:blank","title":"Not Found","status":404,"detail":"Integration not found, or the API key cannot see it.","instance":"/api/integrations/finance-powerbi"}`
	problem403  = `{"type":"about:blank","title":"Forbidden","status":403,"detail":"The API key was not found or not the expected value."}`
	problem409  = `{"type":"about:blank","title":"Conflict","status":409,"detail":"A resource with this identifier already exists."}`
	problem422  = `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"Validation failed","violations":[{"field":"configuration.name","message":"must not be blank"},{"field":"configuration.source","message":"must not change"}]}`
	problem400  = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request contained an invalid argument value."}`
	runConflict = `{"status":"already_running","message":"A run is already in progress for integration finance-powerbi."}`
)

func TestErrorKinds(t *testing.T) {
	type check struct {
		is    []error
		isNot []error
		text  []string
	}
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		call        func(*Client) error
		want        check
	}{
		{
			name: "404 problem", status: 404, contentType: "application/problem+json", body: problem404,
			call: func(c *Client) error { _, err := c.GetIntegration(context.Background(), "finance-powerbi"); return err },
			want: check{
				is: []error{ErrNotFound}, isNot: []error{ErrForbidden, ErrConflict, ErrValidation},
				text: []string{`get integration "finance-powerbi": HTTP 404 Not Found: Integration not found, or the API key cannot see it.`},
			},
		},
		{
			name: "403 problem", status: 403, contentType: "application/problem+json", body: problem403,
			call: func(c *Client) error {
				_, err := c.ListIntegrations(context.Background(), ListIntegrationsOptions{})
				return err
			},
			want: check{
				is: []error{ErrForbidden}, isNot: []error{ErrNotFound},
				text: []string{"list integrations: HTTP 403 Forbidden: The API key was not found or not the expected value", "ENTROPY_DATA_API_KEY", "api_key", "lacks the rights"},
			},
		},
		{
			name: "409 problem", status: 409, contentType: "application/problem+json", body: problem409,
			call: func(c *Client) error {
				return c.PutTeam(context.Background(), Team{ID: "finance", Name: "Finance", Type: "Team"})
			},
			want: check{
				is: []error{ErrConflict}, isNot: []error{ErrRunAlreadyRunning, ErrValidation},
				text: []string{`create or update team "finance": HTTP 409 Conflict: A resource with this identifier already exists.`},
			},
		},
		{
			name: "409 run conflict", status: 409, contentType: "application/json", body: runConflict,
			call: func(c *Client) error { _, err := c.TriggerRun(context.Background(), "finance-powerbi"); return err },
			want: check{
				is: []error{ErrRunAlreadyRunning, ErrConflict}, isNot: []error{ErrNotFound},
				text: []string{`trigger run of integration "finance-powerbi": HTTP 409 Conflict: A run is already in progress for integration finance-powerbi.`},
			},
		},
		{
			name: "422 with violations", status: 422, contentType: "application/problem+json", body: problem422,
			call: func(c *Client) error {
				return c.PutIntegration(context.Background(), "finance-powerbi", IntegrationWrite{})
			},
			want: check{
				is: []error{ErrValidation}, isNot: []error{ErrConflict},
				text: []string{
					`create or update integration "finance-powerbi": HTTP 422 Unprocessable Entity: Validation failed`,
					"configuration.name: must not be blank", "configuration.source: must not change",
				},
			},
		},
		{
			name: "400 problem", status: 400, contentType: "application/problem+json", body: problem400,
			call: func(c *Client) error {
				_, err := c.ListRuns(context.Background(), "x", ListRunsOptions{Status: "bogus"})
				return err
			},
			want: check{is: []error{ErrValidation}, text: []string{"HTTP 400 Bad Request: The request contained an invalid argument value."}},
		},
		{
			name: "plain message body", status: 404, contentType: "application/json", body: `{"message":"Asset powerbi-1 does not exist"}`,
			call: func(c *Client) error { _, err := c.GetAsset(context.Background(), "powerbi-1"); return err },
			want: check{is: []error{ErrNotFound}, text: []string{`get asset "powerbi-1": HTTP 404 Not Found: Asset powerbi-1 does not exist`}},
		},
		{
			name: "status and message body", status: 422, contentType: "application/json", body: `{"status":"invalid","message":"Exactly one type must be the default."}`,
			call: func(c *Client) error { return c.PutDataProductTypes(context.Background(), nil) },
			want: check{is: []error{ErrValidation}, isNot: []error{ErrRunAlreadyRunning}, text: []string{"update data product types: HTTP 422 Unprocessable Entity: Exactly one type must be the default."}},
		},
		{
			name: "HTML 500", status: 500, contentType: "text/html", body: `<html><body><h1>Whitelabel Error Page</h1></body></html>`,
			call: func(c *Client) error { _, err := c.GetTeam(context.Background(), "t1"); return err },
			want: check{isNot: []error{ErrNotFound, ErrValidation}, text: []string{`get team "t1": HTTP 500 Internal Server Error`}},
		},
		{
			name: "empty 404", status: 404, body: "",
			call: func(c *Client) error { return c.DeleteDataProduct(context.Background(), "dp1") },
			want: check{is: []error{ErrNotFound}, text: []string{`delete data product "dp1": HTTP 404 Not Found`}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			c, _ := newClient(t, srv.URL)
			err := tc.call(c)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != tc.status || apiErr.Body != tc.body {
				t.Errorf("StatusCode=%d Body=%q", apiErr.StatusCode, apiErr.Body)
			}
			for _, target := range tc.want.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = false", target)
				}
			}
			for _, target := range tc.want.isNot {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = true", target)
				}
			}
			for _, s := range tc.want.text {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error text %q does not contain %q", err.Error(), s)
				}
			}
			if strings.Contains(err.Error(), "gave up") {
				t.Errorf("non-retryable error mentions retries: %v", err)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests, want exactly 1 (no retry)", n)
			}
		})
	}
}

func TestProblemFieldsAreDecoded(t *testing.T) {
	e := newAPIError("create or update integration", "finance-powerbi", 422, []byte(problem422))
	if e.Type != "about:blank" || e.Title != "Unprocessable Entity" || e.Detail != "Validation failed" {
		t.Errorf("problem fields: %+v", e)
	}
	want := []Violation{{"configuration.name", "must not be blank"}, {"configuration.source", "must not change"}}
	if len(e.Violations) != 2 || e.Violations[0] != want[0] || e.Violations[1] != want[1] {
		t.Errorf("violations = %+v", e.Violations)
	}
	e = newAPIError("get integration", "x", 404, []byte(problem404))
	if e.Instance != "/api/integrations/finance-powerbi" {
		t.Errorf("instance = %q", e.Instance)
	}
	e = newAPIError("trigger run of integration", "x", 409, []byte(runConflict))
	if e.Code != "already_running" || e.Title != "Conflict" {
		t.Errorf("run conflict: %+v", e)
	}
	if !IsNotFound(newAPIError("get", "x", 404, nil)) || IsNotFound(errors.New("404")) || IsNotFound(nil) {
		t.Error("IsNotFound")
	}
}
