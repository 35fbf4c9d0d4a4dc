package powerbiapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Power BI answers errors in two shapes, both under a top-level "error" object:
//
//	{"error":{"code":"PowerBINotAuthorizedException","pbi.error":{"code":...,"parameters":{},"details":[],"exceptionCulprit":1}}}
//	{"error":{"code":"ItemNotFound","message":"Dataset <id> is not found."}}
//
// The first is what the service's own exceptions look like (authorization, entity not
// found); the second is used for request problems. Clients should only rely on
// error.code. Every response carries a RequestId header, errors also X-PowerBI-Error-Info.

// Error codes the emulator uses.
const (
	CodeNotAuthorized    = "PowerBINotAuthorizedException"
	CodeEntityNotFound   = "PowerBIEntityNotFound"
	CodeTokenExpired     = "TokenExpired"
	CodeItemNotFound     = "ItemNotFound"
	CodeInvalidRequest   = "InvalidRequest"
	CodeNotFound         = "NotFound"
	CodeMethodNotAllowed = "MethodNotAllowed"
)

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string    `json:"code"`
	Message string    `json:"message,omitempty"`
	PBI     *pbiError `json:"pbi.error,omitempty"`
}

type pbiError struct {
	Code             string         `json:"code"`
	Parameters       map[string]any `json:"parameters"`
	Details          []any          `json:"details"`
	ExceptionCulprit int            `json:"exceptionCulprit"`
}

// writePBIException writes the service-exception shape.
func writePBIException(w http.ResponseWriter, status int, code string) {
	writeErrorBody(w, status, errorBody{Error: errorDetail{Code: code,
		PBI: &pbiError{Code: code, Parameters: map[string]any{}, Details: []any{}, ExceptionCulprit: 1}}})
}

// writeError writes the code+message shape.
func writeError(w http.ResponseWriter, status int, code, format string, args ...any) {
	writeErrorBody(w, status, errorBody{Error: errorDetail{Code: code, Message: fmt.Sprintf(format, args...)}})
}

func writeErrorBody(w http.ResponseWriter, status int, body errorBody) {
	w.Header().Set("X-PowerBI-Error-Info", body.Error.Code)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if h.Get("RequestId") == "" {
		h.Set("RequestId", tenant.NewGUID())
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
