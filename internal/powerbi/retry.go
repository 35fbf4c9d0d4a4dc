package powerbi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
)

// retryableStatus: Power BI documents 500 as transient too, beside the
// statuses every API means as "try again later".
func retryableStatus(code int) bool {
	return code == http.StatusInternalServerError || retry.TransientStatus(code)
}

// backoff is retry.Backoff from RetryWaitMin, never above RetryWaitMax.
func (c *Client) backoff(attempt int) time.Duration {
	return retry.Backoff(c.retryWaitMin, c.retryWaitMax, attempt, rand.Int64N)
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
