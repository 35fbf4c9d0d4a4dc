package entra

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// oauthError is an Entra ID error response. Its JSON has exactly Entra's fields, in Entra's
// order, and error_description ends with the same Trace ID / Correlation ID / Timestamp
// trailer, so code that parses real errors (MSAL's CallErr body, our token source) parses
// these the same way.
type oauthError struct {
	status        int
	code          string // OAuth error, e.g. "invalid_client"
	aadsts        int    // e.g. 7000215
	message       string // text after "AADSTSnnnn: "
	traceID       string
	correlationID string
	timestamp     time.Time
}

type oauthErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// entraTime is Entra's timestamp format in error bodies ("2026-11-27 16:34:07Z").
const entraTime = "2006-01-02 15:04:05Z"

func (s *Server) newError(r *http.Request, status int, code string, aadsts int, format string, args ...any) *oauthError {
	return &oauthError{
		status:        status,
		code:          code,
		aadsts:        aadsts,
		message:       fmt.Sprintf(format, args...),
		traceID:       tenant.NewGUID(),
		correlationID: correlationID(r),
		timestamp:     s.clock().UTC(),
	}
}

func (e *oauthError) body() oauthErrorBody {
	ts := e.timestamp.Format(entraTime)
	return oauthErrorBody{
		Error: e.code,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			e.aadsts, e.message, e.traceID, e.correlationID, ts),
		ErrorCodes:    []int{e.aadsts},
		Timestamp:     ts,
		TraceID:       e.traceID,
		CorrelationID: e.correlationID,
		// Entra links to its public error lookup page, not to the emulator.
		ErrorURI: "https://login.microsoftonline.com/error?code=" + strconv.Itoa(e.aadsts),
	}
}

func (e *oauthError) write(w http.ResponseWriter) {
	w.Header().Set("x-ms-request-id", e.traceID)
	writeJSON(w, e.status, e.body())
}

// correlationID is what Entra uses as the correlation ID: the client's client-request-id
// header (MSAL sends one), or a fresh GUID.
func correlationID(r *http.Request) string {
	if id := r.Header.Get("client-request-id"); id != "" {
		return id
	}
	return tenant.NewGUID()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
