package entropydata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sentinels for errors.Is. An *APIError matches the one for its status.
var (
	ErrNotFound   = errors.New("not found")       // HTTP 404
	ErrForbidden  = errors.New("forbidden")       // HTTP 403
	ErrConflict   = errors.New("conflict")        // HTTP 409
	ErrValidation = errors.New("invalid request") // HTTP 400 and 422
	// ErrMethodNotAllowed: HTTP 405, e.g. a server whose integrations API
	// has no write endpoint.
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrRunAlreadyRunning: POST .../run answered 409 {"status":"already_running"}.
	// Such an error also matches ErrConflict.
	ErrRunAlreadyRunning = errors.New("an ingestion run is already in progress")
)

// IsNotFound reports whether err is (or wraps) a 404 from the API.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// codeAlreadyRunning is the "status" string of the run-conflict body.
const codeAlreadyRunning = "already_running"

// APIError is a non-2xx answer from the API.
type APIError struct {
	Operation  string // e.g. "get integration"
	Object     string // the id the operation was about; "" for collections
	StatusCode int

	// From an RFC 7807 problem body (application/problem+json). Detail falls
	// back to a plain body's "message"; Title to the HTTP status text.
	Type, Title, Detail, Instance string
	Violations                    []Violation

	// Code is the string "status" of a non-RFC 7807 body such as the run
	// conflict {"status":"already_running","message":...}; "" otherwise.
	Code string

	// Body is the raw response body (truncated), for debugging. It is not part
	// of Error() because servers may echo request data into it.
	Body string
}

// Violation is one failed constraint of a validation error.
type Violation struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error reads like `get integration "x": HTTP 404 Not Found: <detail>`.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	if e.Object != "" {
		fmt.Fprintf(&b, " %q", e.Object)
	}
	statusText := http.StatusText(e.StatusCode)
	if statusText == "" {
		statusText = e.Title
	}
	fmt.Fprintf(&b, ": HTTP %d %s", e.StatusCode, statusText)
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	} else if e.Title != "" && e.Title != statusText {
		b.WriteString(": ")
		b.WriteString(e.Title)
	}
	if len(e.Violations) > 0 {
		parts := make([]string, 0, len(e.Violations))
		for _, v := range e.Violations {
			parts = append(parts, v.Field+": "+v.Message)
		}
		b.WriteString(" (")
		b.WriteString(strings.Join(parts, "; "))
		b.WriteString(")")
	}
	msg := b.String()
	if e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusUnauthorized {
		// The API uses 403 both for an unknown key and for missing rights.
		msg = strings.TrimRight(msg, ". ") + ". The API key (provider attribute api_key or ENTROPY_DATA_API_KEY) " +
			"was not found, is not the expected value, or lacks the rights for this operation"
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) etc. work on *APIError.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrMethodNotAllowed:
		return e.StatusCode == http.StatusMethodNotAllowed
	case ErrValidation:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrRunAlreadyRunning:
		return e.StatusCode == http.StatusConflict && e.Code == codeAlreadyRunning
	}
	return false
}

// maxErrorBody bounds APIError.Body and the logged error body.
const maxErrorBody = 4096

// errorBody covers the shapes error responses come in: RFC 7807
// (type/title/status/detail/instance/violations), the run conflict
// {status:"already_running", message}, older {message} bodies and Spring's
// default {error, message}. "status" is a number in the first and a string in
// the second, hence RawMessage.
type errorBody struct {
	Type       string          `json:"type"`
	Title      string          `json:"title"`
	Status     json.RawMessage `json:"status"`
	Detail     string          `json:"detail"`
	Instance   string          `json:"instance"`
	Violations []Violation     `json:"violations"`
	Message    string          `json:"message"`
	Error      string          `json:"error"`
}

// newAPIError builds an *APIError from any error response. It never fails:
// unparsable bodies (HTML from a proxy, empty) fall back to the status text.
func newAPIError(op, object string, status int, body []byte) *APIError {
	e := &APIError{Operation: op, Object: object, StatusCode: status, Body: truncate(string(body), maxErrorBody)}
	trimmed := bytes.TrimSpace(body)

	var eb errorBody
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		e.Type, e.Title, e.Detail, e.Instance, e.Violations = eb.Type, eb.Title, eb.Detail, eb.Instance, eb.Violations
		if e.Detail == "" {
			e.Detail = eb.Message
		}
		if e.Title == "" {
			e.Title = eb.Error
		}
		var code string
		if json.Unmarshal(eb.Status, &code) == nil {
			e.Code = code
		}
	} else if len(trimmed) > 0 && len(trimmed) <= 200 && !bytes.ContainsAny(trimmed, "<>{}") && utf8.Valid(trimmed) {
		// A short plain-text message is worth showing; HTML is not.
		e.Detail = string(trimmed)
	}
	if e.Title == "" {
		e.Title = http.StatusText(status)
	}
	return e
}

// redact replaces secrets a server echoed back, so that they cannot reach a
// diagnostic through Error() or Body.
func (e *APIError) redact(secrets []string) {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		e.Title = strings.ReplaceAll(e.Title, s, "***")
		e.Detail = strings.ReplaceAll(e.Detail, s, "***")
		e.Body = strings.ReplaceAll(e.Body, s, "***")
		for i := range e.Violations {
			e.Violations[i].Message = strings.ReplaceAll(e.Violations[i].Message, s, "***")
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "...(truncated)"
}
