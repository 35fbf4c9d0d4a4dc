package powerbi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryableStatus lists what Power BI documents as transient: throttling and
// server-side failures. 400/401/403/404 never get better by asking again.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests,
		http.StatusInternalServerError,
		http.StatusBadGateway,
		http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter reads a Retry-After header: Power BI sends whole seconds;
// an HTTP date is accepted too. It returns 0 when absent or unusable.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second) // avoid overflow; still "too long"
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// backoff is exponential from RetryWaitMin, capped at RetryWaitMax, with
// "equal jitter" (a random wait in [base/2, base]) so that many clients
// throttled together do not come back in lockstep.
func (c *Client) backoff(attempt int) time.Duration {
	base := c.retryWaitMin
	for i := 0; i < attempt && base < c.retryWaitMax; i++ {
		base *= 2
	}
	if base > c.retryWaitMax {
		base = c.retryWaitMax
	}
	half := base / 2
	if half <= 0 {
		return base
	}
	return half + rand.N(half+1)
}

// pause waits before the next attempt, unless waiting is pointless: the
// server asked for longer than MaxRetryAfter, or the wait would end after
// the context's deadline. Giving up early beats failing later with a bare
// "context deadline exceeded".
func (c *Client) pause(ctx context.Context, r request, wait time.Duration, fromServer bool, lastErr error) error {
	if fromServer && wait > c.maxRetryAfter {
		return fmt.Errorf("%s: giving up: Power BI asked to retry after %s, longer than this client waits (%s); try again later: %w",
			r.operation(), wait, c.maxRetryAfter, lastErr)
	}
	if deadline, ok := ctx.Deadline(); ok {
		if remaining := deadline.Sub(c.now()); wait > remaining {
			who := "the next retry is due in"
			if fromServer {
				who = "Power BI asked to retry after"
			}
			return fmt.Errorf("%s: giving up early: %s %s but the operation's deadline is %s away; try again later or raise the timeout: %w",
				r.operation(), who, wait, remaining.Round(time.Millisecond), lastErr)
		}
	}
	if err := c.sleep(ctx, wait); err != nil {
		return fmt.Errorf("%s: stopped waiting to retry: %w (last error: %v)", r.operation(), err, lastErr)
	}
	return nil
}

// giveUp reports that the retry budget is spent, keeping the last error
// inspectable with AsAPIError/AsAuthError.
func giveUp(lastErr error, attempts int) error {
	var apiErr *APIError
	if errors.As(lastErr, &apiErr) {
		apiErr.Attempts = attempts
		return lastErr
	}
	return fmt.Errorf("giving up after %d attempts: %w", attempts, lastErr)
}
