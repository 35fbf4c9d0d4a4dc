// Package retry holds what the Entropy Data and Power BI clients share about
// retrying a request: which statuses say "try again later", how Retry-After
// is read, the backoff (exponential ceiling, jitter) and a context-aware sleep.
// What truly differs per API stays in the client: whether 500 is transient
// (Power BI documents it so, Entropy Data answers it for bugs) and how long a
// Retry-After is honoured.
package retry

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// longestRetryAfter bounds a parsed Retry-After so that a huge value cannot
// overflow a time.Duration; callers apply their own, smaller limit.
const longestRetryAfter = 24 * time.Hour

// TransientStatus reports the statuses every API means as "try again later":
// throttling and an unavailable or timed-out gateway.
func TransientStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// ParseRetryAfter reads delay-seconds or an HTTP-date (RFC 9110 10.2.3). A
// date in the past means "now" (0, true); a negative or unreadable value is
// not a Retry-After at all (0, false).
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(longestRetryAfter/time.Second) {
			return longestRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Ceiling is the exponential backoff's upper bound before retry number n
// (0-based): lo doubled n times, never above hi.
func Ceiling(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 0; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

// Backoff is the wait before retry number n (0-based): "equal jitter" inside
// the exponential ceiling, uniform in [ceiling/2, ceiling] and never below lo,
// so that clients throttled together do not come back in lockstep while every
// wait still grows with the attempts. randN is uniform in [0, n).
func Backoff(lo, hi time.Duration, n int, randN func(int64) int64) time.Duration {
	ceiling := Ceiling(lo, hi, n)
	floor := max(lo, ceiling/2)
	span := ceiling - floor
	if span <= 0 {
		return floor
	}
	return floor + time.Duration(randN(int64(span)+1))
}

// Sleep waits for d or until ctx is done, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
