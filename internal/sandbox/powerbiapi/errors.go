package powerbiapi

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
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
		h.Set("RequestId", newGUID())
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
