package powerbi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
)

// Power BI error codes this package gives advice for.
const (
	CodeNotAuthorized  = "PowerBINotAuthorizedException"
	CodeTokenExpired   = "TokenExpired"
	CodeEntityNotFound = "PowerBIEntityNotFound"
	CodeItemNotFound   = "ItemNotFound"
)

// APIError is a non-success response from the Power BI REST API.
type APIError struct {
	Operation  string // e.g. "list workspaces (GET /groups)"
	StatusCode int
	Code       string // error.code, else error["pbi.error"].code
	Message    string // error.message, when Power BI sends one
	RequestID  string // RequestId response header; quote it to Microsoft support
	// RetryAfter is the server's Retry-After (429/503), zero when absent.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent when the client gave
	// up retrying; 0 or 1 means it was not retried.
	Attempts int

	admin bool // admin (scanner) API: a 401 has a different cause
}

// AsAPIError reports whether err (or anything it wraps) is an *APIError.
func AsAPIError(err error) (*APIError, bool) {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae, true
	}
	return nil, false
}

// IsNotFound reports whether err is a Power BI 404: the item is gone or the
// service principal is not a member of its workspace.
func IsNotFound(err error) bool {
	ae, ok := AsAPIError(err)
	return ok && ae.StatusCode == http.StatusNotFound
}

// Error names the operation, the status and the code, quotes Power BI's
// message, and says what to do for the cases users actually hit.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Power BI %s failed: HTTP %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + strings.TrimRight(e.Message, ". ") + ".")
	} else {
		b.WriteString(".")
	}
	if h := e.hint(); h != "" {
		b.WriteString(" " + h)
	}
	var notes []string
	if e.Attempts > 1 {
		notes = append(notes, fmt.Sprintf("gave up after %d attempts", e.Attempts))
	}
	if e.RequestID != "" {
		notes = append(notes, "request ID "+e.RequestID)
	}
	if len(notes) > 0 {
		b.WriteString(" (" + strings.Join(notes, "; ") + ")")
	}
	return b.String()
}

func (e *APIError) hint() string {
	switch {
	case e.StatusCode == http.StatusUnauthorized && e.admin:
		return `The service principal may not call the read-only admin (scanner) APIs: a Fabric administrator must enable the tenant setting ` +
			`"Service principals can access read-only admin APIs" for a security group that contains this service principal, ` +
			`and the app registration must not have admin-consent-required Power BI permissions. ` +
			`For tables and columns also enable "Enhance admin APIs responses with detailed metadata". Tenant setting changes can take about 15 minutes to apply.`
	case e.StatusCode == http.StatusUnauthorized:
		return `The service principal may not call the Power BI REST API: a Fabric administrator must enable the tenant setting ` +
			`"Service principals can use Fabric APIs" (formerly "Allow service principals to use Power BI APIs") for a security group ` +
			`that contains this service principal. Tenant setting changes can take about 15 minutes to apply.`
	case e.StatusCode == http.StatusForbidden && strings.EqualFold(e.Code, CodeTokenExpired):
		return "The access token had expired when Power BI checked it. Tokens are renewed five minutes before they expire, " +
			"so this usually means this machine's clock is wrong; fix the clock and retry."
	case e.StatusCode == http.StatusForbidden:
		return "The service principal lacks permission for this operation: check its role in the workspace (Viewer is enough to list items) " +
			"and the tenant settings for service principals."
	case e.StatusCode == http.StatusNotFound:
		return "The item does not exist, or the service principal is not a member of its workspace: add the service principal " +
			"(or a security group that contains it) to the workspace with at least the Viewer role."
	case e.StatusCode == http.StatusTooManyRequests:
		return "Power BI is throttling this service principal; try again later or run less often."
	case e.StatusCode >= 500:
		return "Power BI had a server-side problem; try again later."
	}
	return ""
}

// powerBIErrorBody covers the Power BI shape
// {"error":{"code","message","pbi.error":{"code"}}} and, for robustness, the
// flat Fabric shape {"errorCode","message","requestId"}.
type powerBIErrorBody struct {
	Error *struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		PBIError *struct {
			Code string `json:"code"`
		} `json:"pbi.error"`
	} `json:"error"`
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
}

func newAPIError(r request, resp *http.Response, body []byte, now time.Time) *APIError {
	retryAfter, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), now) // zero when absent or unusable
	e := &APIError{
		Operation:  r.operation(),
		StatusCode: resp.StatusCode,
		RequestID:  firstNonEmpty(resp.Header.Get("RequestId"), resp.Header.Get("X-Ms-Request-Id")),
		RetryAfter: retryAfter,
		admin:      r.admin,
	}
	var eb powerBIErrorBody
	if err := json.Unmarshal(body, &eb); err == nil {
		if eb.Error != nil {
			e.Code, e.Message = eb.Error.Code, eb.Error.Message
			if e.Code == "" && eb.Error.PBIError != nil {
				e.Code = eb.Error.PBIError.Code
			}
		}
		e.Code = firstNonEmpty(e.Code, eb.ErrorCode)
		e.Message = firstNonEmpty(e.Message, eb.Message)
		e.RequestID = firstNonEmpty(e.RequestID, eb.RequestID)
	} else if text := strings.TrimSpace(string(body)); text != "" && !strings.HasPrefix(text, "<") {
		// A plain-text body (seen on 429s) is still worth showing; HTML
		// error pages from proxies are not.
		e.Message = truncate(text, 300)
	}
	return e
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
