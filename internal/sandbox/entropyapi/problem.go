package entropyapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// APIError is a failed operation: the HTTP status and the problem's detail. HTTP handlers render it
// as RFC 7807 application/problem+json; Go-level methods return it so callers can read Status.
type APIError struct {
	Status     int
	Detail     string
	Violations []Violation // only for 400s from request validation (ValidationProblemDetail)
}

// Violation is one failed constraint of a 400 ValidationProblemDetail.
type Violation struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("%d %s: %s", e.Status, http.StatusText(e.Status), e.Detail)
	for _, v := range e.Violations {
		msg += fmt.Sprintf("; %s %s", v.Field, v.Message)
	}
	return msg
}

// Is lets callers write errors.Is(err, ErrNotFound) and friends.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrInvalid:
		return e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	}
	return false
}

// Sentinels for errors.Is on the errors the Go-level methods return.
var (
	ErrNotFound  = errors.New("not found")
	ErrInvalid   = errors.New("invalid")  // 400 or 422
	ErrConflict  = errors.New("conflict") // 409, e.g. a duplicate integration name
	ErrForbidden = errors.New("forbidden")
	// ErrAlreadyRunning is returned by TriggerRun while a run of the integration is RUNNING.
	ErrAlreadyRunning = errors.New("a run is already in progress for this integration")
)

func notFound(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusNotFound, Detail: fmt.Sprintf(format, args...)}
}

func unprocessable(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusUnprocessableEntity, Detail: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusForbidden, Detail: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Detail: fmt.Sprintf(format, args...)}
}

// violations collects bean-validation style failures; err() is nil when there are none.
type violations []Violation

func (v *violations) add(field, message string) { *v = append(*v, Violation{field, message}) }

func (v violations) err() error {
	if len(v) == 0 {
		return nil
	}
	sorted := append([]Violation(nil), v...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Field < sorted[j].Field })
	return &APIError{Status: http.StatusBadRequest, Detail: "Validation failed", Violations: sorted}
}

// problemBody is ProblemDetail / ValidationProblemDetail.
type problemBody struct {
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Status     int         `json:"status"`
	Detail     string      `json:"detail"`
	Instance   string      `json:"instance"`
	Violations []Violation `json:"violations,omitempty"`
}

func writeProblem(w http.ResponseWriter, r *http.Request, e *APIError) {
	body := problemBody{Type: "about:blank", Title: http.StatusText(e.Status), Status: e.Status, Detail: e.Detail, Instance: r.URL.Path, Violations: e.Violations}
	writeBody(w, e.Status, "application/problem+json", body)
}

// writeError renders any handler error; anything that is not an APIError is a 500.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *APIError
	if !errors.As(err, &ae) {
		ae = &APIError{Status: http.StatusInternalServerError, Detail: err.Error()}
	}
	writeProblem(w, r, ae)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, "application/json", v)
}

func writeBody(w http.ResponseWriter, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// maxBody caps request bodies; larger ones get the API's 413.
const maxBody = 10 << 20

// readBody reads the request body, answering 413 when it is too large and 400 when it is empty.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := readOptionalBody(w, r)
	if err == nil && b == nil {
		err = badRequest("Required request body is missing.")
	}
	return b, err
}

// readOptionalBody is readBody for endpoints whose body is optional: no body is (nil, nil).
func readOptionalBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &APIError{Status: http.StatusRequestEntityTooLarge, Detail: "Maximum upload size exceeded."}
		}
		return nil, badRequest("Failed to read request body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	return b, nil
}

// decodeJSON reads the body into v. A syntax error is a 400 with a "body" violation; a value of the
// wrong JSON type is a 400 naming the field, like the real server's bean validation.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return unmarshalStrict(b, v)
}

func unmarshalStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return jsonError(errors.New("unexpected data after the JSON value"))
	}
	return nil
}

func jsonError(err error) error {
	var vs violations
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		vs.add(te.Field, fmt.Sprintf("must be of type %s, not a JSON %s", jsonTypeName(te.Type.Kind().String()), te.Value))
	} else {
		vs.add("body", "malformed JSON: "+err.Error())
	}
	var e *APIError
	errors.As(vs.err(), &e) // vs is not empty, so err is an *APIError
	e.Detail = "Malformed JSON request body"
	return e
}

func jsonTypeName(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "slice", kind == "array":
		return "array"
	case kind == "map", kind == "struct":
		return "object"
	case kind == "bool":
		return "boolean"
	}
	return kind
}

// clone deep-copies v through JSON so that callers never share maps or slices with the store, and
// so that Go-level writes are stored exactly as an HTTP round trip would store them.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("entropyapi: clone: %v", err))
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("entropyapi: clone: %v", err))
	}
	return out
}
