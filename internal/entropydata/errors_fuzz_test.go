package entropydata

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeError feeds arbitrary error responses to the decoder: it must
// never panic, always name the operation, object and status, keep bounded
// bodies, classify by status alone, and never let a redacted secret through.
func FuzzDecodeError(f *testing.F) {
	f.Add(404, []byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"The requested resource was not found.","instance":"/api/assets/x"}`))
	f.Add(422, []byte(`{"title":"Unprocessable Entity","status":422,"detail":"bad","violations":[{"field":"info.owner","message":"unknown team"}]}`))
	f.Add(409, []byte(`{"status":"already_running","message":"A run is already in progress"}`))
	f.Add(502, []byte(`<html><body>Bad Gateway</body></html>`))
	f.Add(400, []byte(`{"message":"plain"}`))
	f.Add(403, []byte(``))
	f.Add(500, []byte(`{"status":{"nested":true},"violations":"not a list"}`))
	const secret = "s3cr3t-value"
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 400 + (status%100+100)%100
		}
		e := newAPIError("get asset", "a1", status, body)
		e.redact([]string{secret})
		msg := e.Error()
		if !strings.Contains(msg, "get asset") || !strings.Contains(msg, `"a1"`) || !strings.Contains(msg, http.StatusText(status)) && e.Title == "" {
			t.Fatalf("message %q lacks the operation, object or status", msg)
		}
		if len(e.Body) > maxErrorBody+len("…") {
			t.Fatalf("body kept %d bytes", len(e.Body))
		}
		if strings.Contains(msg, secret) || strings.Contains(e.Body, secret) {
			t.Fatalf("secret leaked: %q", msg)
		}
		if errors.Is(e, ErrNotFound) != (status == http.StatusNotFound) {
			t.Fatalf("status %d classified as not found = %v", status, errors.Is(e, ErrNotFound))
		}
		if errors.Is(e, ErrValidation) != (status == 400 || status == 422) {
			t.Fatalf("status %d classified as validation = %v", status, errors.Is(e, ErrValidation))
		}
		if errors.Is(e, ErrRunAlreadyRunning) && status != http.StatusConflict {
			t.Fatalf("status %d classified as run conflict", status)
		}
		if utf8.ValidString(string(body)) && !utf8.ValidString(msg) {
			t.Fatalf("valid input produced an invalid message")
		}
	})
}
