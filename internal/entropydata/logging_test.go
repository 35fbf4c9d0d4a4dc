package entropydata

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	testClientSecret = "pb1~Q8Xk-very-secret-value"
	testTenantID     = "9b1d2c3e-aaaa-bbbb-cccc-0123456789ab"
)

// secretEchoServer fails the first PUT with a 503 whose body echoes the API
// key and the client secret (as a careless proxy or server might), so the
// TRACE-logged error body would leak them without masking; then succeeds.
func secretEchoServer(t *testing.T) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeProblem(w, 503, `{"status":503,"detail":"overloaded while handling key `+testAPIKey+
				` and clientSecret `+testClientSecret+`"}`)
			return
		}
		w.WriteHeader(200)
	})
}

func putWithSecret(t *testing.T, ctx context.Context, c *Client) {
	t.Helper()
	err := c.PutIntegration(ctx, "finance-powerbi", IntegrationWrite{
		Configuration: IntegrationConfiguration{Source: SourcePowerBI, Name: "Finance Power BI"},
		Credential: &Credential{Type: CredentialTypeServicePrincipal, Details: ServicePrincipal{
			TenantID: testTenantID, ClientID: "client-id", ClientSecret: testClientSecret,
		}},
	})
	if err != nil {
		t.Fatalf("PutIntegration: %v", err)
	}
}

func checkLog(t *testing.T, out string) {
	t.Helper()
	for _, secret := range []string{testAPIKey, testClientSecret} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q:\n%s", secret, out)
		}
	}
	// Request bodies are never logged, masked or not.
	if strings.Contains(out, testTenantID) {
		t.Errorf("log contains the integration request body:\n%s", out)
	}
	for _, want := range []string{
		"/api/integrations/ingest/finance-powerbi", // the path is logged
		`"http_status":503`, `"http_status":200`, `"attempt":2`, `"http_method":"PUT"`,
		"***", // the echoed secrets were there and got masked
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

func TestLogsMaskSecretsAndNeverLogBodiesOrHeaders(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf) // TRACE
	srv := secretEchoServer(t)
	c, _ := newClient(t, srv.URL)
	putWithSecret(t, ctx, c)

	out := buf.String()
	checkLog(t, out)

	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var sawTrace bool
	for _, e := range entries {
		if e["@module"] != "provider."+LogSubsystem {
			t.Errorf("entry outside the %q subsystem: %v", LogSubsystem, e)
		}
		if _, warned := e["new_logger_warning"]; warned {
			t.Errorf("tflog warned about a missing subsystem: %v", e)
		}
		if e["@level"] == "trace" && e["http_response_body"] != nil {
			sawTrace = true
		}
	}
	if !sawTrace {
		t.Errorf("error body not logged at TRACE: %s", out)
	}
}

func TestLogsMaskSecretsInACallerCreatedSubsystem(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = tflog.NewSubsystem(ctx, LogSubsystem)
	srv := secretEchoServer(t)
	c, _ := newClient(t, srv.URL)
	putWithSecret(t, ctx, c)
	checkLog(t, buf.String())
}

func TestWorksWithoutAnyLogger(t *testing.T) {
	srv := secretEchoServer(t)
	c, _ := newClient(t, srv.URL)
	putWithSecret(t, context.Background(), c) // no root logger, no subsystem: tflog is a no-op
}

func TestErrorsRedactEchoedSecrets(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeProblem(w, 422, `{"status":422,"detail":"bad secret `+testClientSecret+`","violations":[{"field":"credential","message":"`+testClientSecret+` rejected for key `+testAPIKey+`"}]}`)
	})
	c, _ := newClient(t, srv.URL)
	err := c.PutIntegration(context.Background(), "x", IntegrationWrite{Credential: &Credential{Details: ServicePrincipal{ClientSecret: testClientSecret}}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v", err)
	}
	for _, s := range []string{err.Error(), apiErr.Body} {
		if strings.Contains(s, testClientSecret) || strings.Contains(s, testAPIKey) || !strings.Contains(s, "***") {
			t.Errorf("secret not redacted: %s", s)
		}
	}
}

func TestEmptySecretsAreNotMasked(t *testing.T) {
	// An update may send a blank secret ("keep the stored one"); masking ""
	// would garble every log line.
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(200) })
	c, _ := newClient(t, srv.URL)
	err := c.PutIntegration(ctx, "finance-powerbi", IntegrationWrite{Credential: &Credential{Details: ServicePrincipal{TenantID: "t"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `"http_path":"/api/integrations/ingest/finance-powerbi"`) {
		t.Errorf("log garbled:\n%s", out)
	}
}
