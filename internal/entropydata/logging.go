package entropydata

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// LogSubsystem is the tflog subsystem this package logs to. Its level can be
// set apart from the provider's with LogLevelEnv (e.g. TF_LOG_PROVIDER_ENTROPYDATA_API=TRACE).
const (
	LogSubsystem = "entropydata"
	LogLevelEnv  = "TF_LOG_PROVIDER_ENTROPYDATA_API"
)

// logContext prepares ctx for logging one call: it creates the subsystem
// unless the caller already did (tflog would otherwise log a "new logger"
// warning on every line, and masks need a subsystem to attach to), and masks
// the API key plus the call's secrets in messages and field values. Without a
// root logger in ctx (plain Go callers, most tests) all of this is a no-op.
//
// Nothing in this package logs request bodies or headers; the masks are the
// second line of defence, for error bodies that echo what was sent.
func (c *Client) logContext(ctx context.Context, secrets ...string) context.Context {
	// SubsystemIsError is false only when the subsystem does not exist (or is
	// switched off, in which case nothing is logged either way).
	if !tflog.SubsystemIsError(ctx, LogSubsystem) {
		ctx = tflog.NewSubsystem(ctx, LogSubsystem, tflog.WithLevelFromEnv(LogLevelEnv), tflog.WithRootFields())
	}
	masks := make([]string, 0, 1+len(secrets))
	for _, s := range append([]string{c.apiKey}, secrets...) {
		if s != "" { // masking "" would put *** between every character
			masks = append(masks, s)
		}
	}
	return tflog.SubsystemMaskLogStrings(ctx, LogSubsystem, masks...)
}

// logResponse logs one answered attempt at DEBUG, and an error body at TRACE.
func logResponse(ctx context.Context, cl call, req *http.Request, attempt int, res *response, took time.Duration) {
	fields := map[string]any{
		"operation":   cl.op,
		"http_method": req.Method,
		"http_path":   req.URL.RequestURI(),
		"http_status": res.status,
		"attempt":     attempt,
		"duration_ms": took.Milliseconds(),
	}
	tflog.SubsystemDebug(ctx, LogSubsystem, "Entropy Data API request", fields)
	if res.status >= 300 && len(res.body) > 0 {
		tflog.SubsystemTrace(ctx, LogSubsystem, "Entropy Data API error response body", map[string]any{
			"http_path":          req.URL.RequestURI(),
			"http_status":        res.status,
			"http_response_body": truncate(string(res.body), maxErrorBody),
		})
	}
}

// logTransportError logs an attempt that got no HTTP answer.
func logTransportError(ctx context.Context, cl call, req *http.Request, attempt int, err error, took time.Duration) {
	tflog.SubsystemDebug(ctx, LogSubsystem, "Entropy Data API request failed", map[string]any{
		"operation":   cl.op,
		"http_method": req.Method,
		"http_path":   req.URL.RequestURI(),
		"attempt":     attempt,
		"duration_ms": took.Milliseconds(),
		"error":       err.Error(),
	})
}

// logRetry logs the decision to try again.
func logRetry(ctx context.Context, cl call, attempt int, wait time.Duration, why string, failure error) {
	tflog.SubsystemDebug(ctx, LogSubsystem, "Retrying Entropy Data API request", map[string]any{
		"operation":  cl.op,
		"attempt":    attempt,
		"wait_ms":    wait.Milliseconds(),
		"wait_basis": why,
		"error":      failure.Error(),
	})
}
