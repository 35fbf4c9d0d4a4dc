package faults

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// writeFault answers a request with an injected error shaped like the surface's own
// errors, so a client's error parsing runs exactly as it would against the real service.
func writeFault(w http.ResponseWriter, r *http.Request, surface string, status int, retryAfter time.Duration, ruleID int) {
	h := w.Header()
	h.Set("X-Sandbox-Fault", "rule "+strconv.Itoa(ruleID))
	if retryAfter > 0 {
		secs := int64((retryAfter + time.Second - 1) / time.Second) // round up: never invite an early retry
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	text := http.StatusText(status)
	switch surface {
	case SurfaceEntropyData:
		detail := "The service is temporarily unavailable. Please try again later."
		if status == http.StatusTooManyRequests {
			detail = "Too many requests. Please slow down and retry later."
		}
		write(w, status, "application/problem+json", map[string]any{
			"type": "about:blank", "title": text, "status": status, "detail": detail, "instance": r.URL.Path,
		})
	case SurfacePowerBI:
		code, msg := powerBIFault(status)
		h.Set("RequestId", tenant.NewGUID())
		h.Set("X-PowerBI-Error-Info", code)
		write(w, status, "application/json; charset=utf-8", map[string]any{"error": map[string]any{"code": code, "message": msg}})
	case SurfaceEntra:
		write(w, status, "application/json; charset=utf-8", entraFault(r, status))
	default:
		write(w, status, "application/json; charset=utf-8", map[string]any{"status": status, "error": text})
	}
}

func powerBIFault(status int) (code, message string) {
	switch status {
	case http.StatusTooManyRequests:
		return "TooManyRequests", "You have exceeded the amount of requests allowed in the current time frame and further requests will fail."
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable", "The service is temporarily unavailable. Please try again later."
	case http.StatusGatewayTimeout:
		return "GatewayTimeout", "The request timed out. Please try again later."
	case http.StatusBadGateway:
		return "BadGateway", "The service received an invalid response from an upstream server. Please try again later."
	default:
		return "InternalServerError", "An internal error occurred. Please try again later."
	}
}

// entraFault is an OAuth error body in Entra ID's format: throttling is AADSTS90055,
// anything else the "transient error" AADSTS90033.
func entraFault(r *http.Request, status int) map[string]any {
	code, msg := 90033, "A transient error has occurred. Please try again."
	if status == http.StatusTooManyRequests {
		code, msg = 90055, "TenantThrottlingError - There are too many incoming requests. Please try again later."
	}
	trace, corr := tenant.NewGUID(), r.Header.Get("client-request-id")
	if corr == "" {
		corr = tenant.NewGUID()
	}
	ts := time.Now().UTC().Format("2006-01-02 15:04:05Z")
	return map[string]any{
		"error":             "temporarily_unavailable",
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", code, msg, trace, corr, ts),
		"error_codes":       []int{code},
		"timestamp":         ts,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         "https://login.microsoftonline.com/error?code=" + strconv.Itoa(code),
	}
}

func write(w http.ResponseWriter, status int, contentType string, body any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
