package powerbi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

// AADSTS codes this package explains in plain words. Entra ID documents that
// codes are stable while their texts change, so decisions key on the code.
const (
	AADSTSInvalidClientSecret = 7000215 // wrong secret (often the secret ID instead of its value)
	AADSTSExpiredClientSecret = 7000222 // secret expired
	AADSTSApplicationNotFound = 700016  // client_id unknown in this tenant
	AADSTSTenantNotFound      = 90002   // tenant_id unknown
	AADSTSInvalidScope        = 1002012 // scope without /.default
	AADSTSInvalidInstance     = 50049   // authority host is not an Entra ID instance
)

// AuthError is an Entra ID rejection of a token request (or of the OpenID
// discovery that precedes it), parsed from Entra's JSON error body.
type AuthError struct {
	StatusCode    int    // HTTP status of the failing Entra ID call
	Code          string // OAuth error, e.g. "invalid_client"
	AADSTS        int    // first of error_codes, e.g. 7000215; 0 if none
	Description   string // Entra's error_description (may contain trace ids)
	CorrelationID string // quote this in a Microsoft support ticket
	TenantID      string // from the credentials, for the message
	ClientID      string // from the credentials, for the message
	// Discovery is true when the OpenID configuration request failed (the
	// tenant is resolved there), false when the token request itself did.
	Discovery bool

	err error // MSAL's error, for errors.Unwrap
}

// AsAuthError reports whether err (or anything it wraps) is an *AuthError.
func AsAuthError(err error) (*AuthError, bool) {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae, true
	}
	return nil, false
}

func (e *AuthError) Unwrap() error { return e.err }

// Error says what went wrong in plain words, what to fix, and then quotes
// Entra ID so nothing is lost.
func (e *AuthError) Error() string {
	what, fix := e.explain()
	var b strings.Builder
	b.WriteString("Entra ID rejected the token request for the service principal")
	fmt.Fprintf(&b, " (HTTP %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.AADSTS != 0 {
		fmt.Fprintf(&b, ", AADSTS%d", e.AADSTS)
	}
	b.WriteString("): " + what)
	if fix != "" {
		b.WriteString(". " + fix)
	}
	if d := firstLine(e.Description); d != "" {
		b.WriteString(". Entra ID said: " + d)
	}
	if e.CorrelationID != "" {
		b.WriteString(" (correlation ID " + e.CorrelationID + ")")
	}
	return b.String()
}

// Temporary reports whether retrying later may succeed (throttling or an
// Entra ID outage); credential problems are never temporary.
func (e *AuthError) Temporary() bool {
	return e.StatusCode == 429 || e.StatusCode >= 500
}

func (e *AuthError) explain() (what, fix string) {
	switch e.AADSTS {
	case AADSTSInvalidClientSecret:
		return "the client secret is wrong",
			"Use the secret's Value (shown once when it is created under Certificates & secrets), not its Secret ID. " +
				"After rotating the secret, set the new value and increase client_secret_wo_version so Terraform sends it"
	case AADSTSExpiredClientSecret:
		return "the client secret has expired",
			"Create a new client secret in the app registration (Certificates & secrets), set its Value, " +
				"and increase client_secret_wo_version so Terraform sends it"
	case AADSTSApplicationNotFound:
		return fmt.Sprintf("application (client_id) %q was not found in tenant %q", e.ClientID, e.TenantID),
			"Check that client_id is the Application (client) ID of the app registration (not its object ID or a secret ID) " +
				"and that tenant_id is the Directory (tenant) ID where the app lives; a multi-tenant app must first be consented in this tenant"
	case AADSTSTenantNotFound:
		return fmt.Sprintf("tenant %q was not found", e.TenantID),
			"Check tenant_id: use the Directory (tenant) ID (a GUID) or a verified domain of the tenant, " +
				"and make sure the authority host is the cloud this tenant lives in"
	case AADSTSInvalidScope:
		return "the requested scope is not valid for the client-credentials flow",
			"The scope must be a resource followed by /.default, such as " + PowerBIScope +
				"; this is a configuration error, not a credential problem"
	case AADSTSInvalidInstance:
		return "the authority host is not a valid Entra ID instance",
			"Check the authority host, e.g. " + DefaultAuthorityHost
	}
	if e.Temporary() {
		return "Entra ID is throttling requests or is temporarily unavailable", "Retry later"
	}
	what = "the request was refused"
	if e.AADSTS != 0 {
		fix = fmt.Sprintf("Look up AADSTS%d at https://login.microsoftonline.com/error?code=%d", e.AADSTS, e.AADSTS)
	}
	return what, fix
}

// entraErrorBody is the JSON Entra ID returns with every 4xx/5xx.
type entraErrorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	ErrorCodes    []int  `json:"error_codes"`
	CorrelationID string `json:"correlation_id"`
}

var aadstsInText = regexp.MustCompile(`AADSTS(\d+)`)

// classifyMSALError turns MSAL's HTTP failures into *AuthError. Anything
// else (network failure, issuer mismatch, cancelled context) is wrapped with
// context but otherwise returned as is.
func classifyMSALError(err error, creds Credentials) error {
	var ce msalerrors.CallErr
	if !errors.As(err, &ce) || ce.Resp == nil {
		return fmt.Errorf("requesting an Entra ID token for client %s in tenant %s: %w", creds.ClientID, creds.TenantID, err)
	}
	ae := &AuthError{
		StatusCode: ce.Resp.StatusCode,
		TenantID:   creds.TenantID,
		ClientID:   creds.ClientID,
		Discovery:  strings.Contains(err.Error(), "unable to resolve an endpoint"),
		err:        err,
	}
	body := readCallErrBody(ce)
	var eb entraErrorBody
	if json.Unmarshal(body, &eb) == nil {
		ae.Code = eb.Error
		ae.Description = eb.Description
		ae.CorrelationID = eb.CorrelationID
		if len(eb.ErrorCodes) > 0 {
			ae.AADSTS = eb.ErrorCodes[0]
		}
	} else {
		ae.Description = truncate(strings.TrimSpace(string(body)), 300)
	}
	if ae.AADSTS == 0 {
		if m := aadstsInText.FindStringSubmatch(ae.Description); m != nil {
			ae.AADSTS, _ = strconv.Atoi(m[1])
		}
	}
	return ae
}

// readCallErrBody reads the body MSAL kept on the response. MSAL re-buffers
// it, but it can only be read once, so fall back to the copy MSAL put in its
// error text ("... reply status code was 401:\n{...}").
func readCallErrBody(ce msalerrors.CallErr) []byte {
	if ce.Resp.Body != nil {
		if b, err := io.ReadAll(ce.Resp.Body); err == nil && len(b) > 0 {
			return b
		}
	}
	if ce.Err != nil {
		msg := ce.Err.Error()
		if i := strings.Index(msg, ":\n"); i >= 0 {
			return []byte(msg[i+2:])
		}
	}
	return nil
}

// firstLine keeps the human part of an Entra description and drops the
// "Trace ID / Correlation ID / Timestamp" lines that follow it.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
