package entropydata

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
)

// RetryError reports that the client stopped retrying a request that kept
// failing with a retryable status or network error. Last is the final
// attempt's error; errors.As(err, **APIError) and errors.Is(err, ErrConflict)
// etc. see through it.
type RetryError struct {
	Attempts int    // attempts made, including the first
	Reason   string // why no further attempt was made
	Last     error
}

func (e *RetryError) Error() string {
	plural := "s"
	if e.Attempts == 1 {
		plural = ""
	}
	return fmt.Sprintf("%v (gave up after %d attempt%s: %s)", e.Last, e.Attempts, plural, e.Reason)
}

func (e *RetryError) Unwrap() error { return e.Last }

// attemptTimeoutError marks an attempt that hit RequestTimeout while the
// caller's context was still alive; it is retried like any network timeout.
type attemptTimeoutError struct {
	timeout time.Duration
	err     error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("no response within %s: %v", e.timeout, e.err)
}
func (e *attemptTimeoutError) Unwrap() error { return e.err }

// isTransient reports network failures worth another attempt: connection
// refused/reset, a connection closed mid-response, and timeouts. TLS and
// certificate errors, bad URLs and unknown hosts are not retried: they will
// fail the same way again.
func isTransient(err error) bool {
	var timeout *attemptTimeoutError
	if errors.As(err, &timeout) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// retryWait returns how long to wait after failed attempt number attempt
// (1-based), and where that number came from (for logs and errors).
// A Retry-After header wins, even above RetryWaitMax, up to MaxRetryAfter.
// Otherwise: retry.Backoff from RetryWaitMin, never above RetryWaitMax.
func (c *Client) retryWait(attempt int, header http.Header) (time.Duration, string) {
	if d, ok := retry.ParseRetryAfter(header.Get("Retry-After"), c.now()); ok {
		return min(d, MaxRetryAfter), "as asked by Retry-After"
	}
	return retry.Backoff(c.waitMin, c.waitMax, attempt-1, c.randN), "backoff"
}
