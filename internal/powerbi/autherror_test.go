package powerbi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

func TestAuthErrorMessages(t *testing.T) {
	cases := []struct {
		err     AuthError
		mustSay []string
	}{
		{
			AuthError{StatusCode: 401, Code: "invalid_client", AADSTS: 700024, Description: "AADSTS700024: Client assertion is not within its valid time range.\r\nTrace ID: x"},
			[]string{"AADSTS700024", "the request was refused", "https://login.microsoftonline.com/error?code=700024", "Client assertion is not within its valid time range."},
		},
		{
			AuthError{StatusCode: 400, Code: "invalid_instance", AADSTS: 50049},
			[]string{"not a valid Entra ID instance", DefaultAuthorityHost},
		},
		{
			AuthError{StatusCode: 503, Description: "upstream unavailable"},
			[]string{"HTTP 503", "temporarily unavailable", "Retry later"},
		},
	}
	for _, tc := range cases {
		msg := tc.err.Error()
		for _, s := range tc.mustSay {
			if !strings.Contains(msg, s) {
				t.Errorf("message lacks %q:\n%s", s, msg)
			}
		}
		if strings.Contains(msg, "Trace ID") {
			t.Errorf("message keeps Entra's trace lines:\n%s", msg)
		}
	}
}

func TestAsAuthErrorThroughWrapping(t *testing.T) {
	inner := &AuthError{StatusCode: 401, AADSTS: AADSTSInvalidClientSecret}
	wrapped := fmt.Errorf("list workspaces: %w", inner)
	got, ok := AsAuthError(wrapped)
	if !ok || got != inner {
		t.Fatalf("AsAuthError = %v, %v", got, ok)
	}
	if _, ok := AsAuthError(errors.New("plain")); ok {
		t.Fatal("plain error must not be an AuthError")
	}
	if !(&AuthError{StatusCode: 429}).Temporary() || (&AuthError{StatusCode: 401}).Temporary() {
		t.Fatal("Temporary: 429 yes, 401 no")
	}
}

func TestTruncateKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("é", 10) // 2 bytes each
	got := truncate(s, 5)
	if got != "éé…" {
		t.Fatalf("truncate = %q", got)
	}
}

func TestClassifyFallsBackToTheBodyQuotedInMSALsError(t *testing.T) {
	// If the response body was already consumed, MSAL's error text still
	// carries it after "reply status code was N:\n".
	body := `{"error":"invalid_client","error_description":"AADSTS7000222: expired","error_codes":[7000222]}`
	ce := msalerrors.CallErr{
		Resp: &http.Response{StatusCode: 401, Body: io.NopCloser(strings.NewReader(""))},
		Err:  fmt.Errorf("http call(https://x/t/oauth2/v2.0/token)(POST) error: reply status code was 401:\n%s", body),
	}
	err := classifyMSALError(fmt.Errorf("wrapped: %w", ce), goodCreds)
	ae, ok := AsAuthError(err)
	if !ok || ae.AADSTS != AADSTSExpiredClientSecret || ae.Code != "invalid_client" || ae.Discovery {
		t.Fatalf("err = %#v", err)
	}
	var back msalerrors.CallErr
	if !errors.As(err, &back) {
		t.Error("the MSAL error must stay reachable with errors.As")
	}
}

func TestClassifyLeavesNonHTTPErrorsAlone(t *testing.T) {
	err := classifyMSALError(errors.New("issuer mismatch"), goodCreds)
	if _, ok := AsAuthError(err); ok || !strings.Contains(err.Error(), "issuer mismatch") || !strings.Contains(err.Error(), testClient) {
		t.Fatalf("err = %v", err)
	}
}
