package entropydata

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
)

func TestRetriesTransientStatusesAndReplaysBody(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					writeProblem(w, status, `{"title":"`+http.StatusText(status)+`","status":`+strconv.Itoa(status)+`}`)
					return
				}
				w.WriteHeader(200)
			})
			c, sl := newClient(t, srv.URL)
			if err := c.PutAsset(context.Background(), Asset{ID: "a1", Info: AssetInfo{Name: "Revenue"}}); err != nil {
				t.Fatalf("PutAsset: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			if len(reqs[0].Body) == 0 || !bytes.Equal(reqs[0].Body, reqs[1].Body) {
				t.Errorf("body not replayed: %q then %q", reqs[0].Body, reqs[1].Body)
			}
			if len(sl.recorded()) != 1 {
				t.Errorf("waits = %v, want one", sl.recorded())
			}
		})
	}
}

func TestHTML502RetriesExhausted(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"))
	})
	c, sl := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetIntegration(context.Background(), "finance-powerbi")

	var retryErr *RetryError
	if !errors.As(err, &retryErr) || retryErr.Attempts != 3 {
		t.Fatalf("error = %v, want a *RetryError after 3 attempts", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 {
		t.Fatalf("error = %v, want it to wrap the 502 *APIError", err)
	}
	for _, s := range []string{`get integration "finance-powerbi": HTTP 502 Bad Gateway`, "gave up after 3 attempts", "retry limit of 2 reached"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	if strings.Contains(err.Error(), "<html>") {
		t.Errorf("HTML leaked into the error: %v", err)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if n := len(sl.recorded()); n != 2 {
		t.Errorf("%d waits, want 2", n)
	}
}

func TestNoRetryWhenMaxRetriesIsZero(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { writeProblem(w, 503, `{"status":503}`) })
	c, _ := newClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
	_, err := c.ListTeams(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gave up after 1 attempt:") || len(srv.requests()) != 1 {
		t.Fatalf("error = %v after %d requests", err, len(srv.requests()))
	}
}

func TestNoRetryOnPermanentStatuses(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 500} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Retry-After", "1") // must not tempt the client
				writeProblem(w, status, `{"status":`+strconv.Itoa(status)+`,"detail":"nope"}`)
			})
			c, sl := newClient(t, srv.URL)
			err := c.PutAsset(context.Background(), Asset{ID: "a1"})
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Fatalf("error = %v", err)
			}
			var retryErr *RetryError
			if errors.As(err, &retryErr) {
				t.Errorf("permanent error reported as retried: %v", err)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if len(sl.recorded()) != 0 {
				t.Errorf("waited %v", sl.recorded())
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	now := time.Date(2026, 5, 20, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, retryAfter string
		want             time.Duration
	}{
		{"seconds above RetryWaitMax", "7", 7 * time.Second},
		{"HTTP date", now.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second},
		{"date in the past", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"capped", "86400", MaxRetryAfter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					w.Header().Set("Retry-After", tc.retryAfter)
					writeProblem(w, 429, `{"title":"Too Many Requests","status":429}`)
					return
				}
				writeJSON(w, 200, `[]`)
			})
			c, sl := newClient(t, srv.URL) // RetryWaitMax is 4ms
			c.now = func() time.Time { return now }
			if _, err := c.ListIntegrations(context.Background(), ListIntegrationsOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := sl.recorded(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("waits = %v, want [%v]", got, tc.want)
			}
		})
	}
}

func TestBackoffIsExponentialWithJitterWithinBounds(t *testing.T) {
	c, _ := newClient(t, "https://example.invalid", func(cfg *Config) {
		cfg.RetryWaitMin = 100 * time.Millisecond
		cfg.RetryWaitMax = 1 * time.Second
	})
	// Largest jitter: the ceiling doubles per attempt, then stays at RetryWaitMax.
	c.randN = func(n int64) int64 { return n - 1 }
	wantMillis := []int{100, 200, 400, 800, 1000, 1000, 1000}
	for i, ms := range wantMillis {
		w := time.Duration(ms) * time.Millisecond
		if got, _ := c.retryWait(i+1, http.Header{}); got != w {
			t.Errorf("attempt %d: max wait %v, want %v", i+1, got, w)
		}
	}
	// Smallest jitter: half the ceiling, never below RetryWaitMin.
	c.randN = func(n int64) int64 { return 0 }
	for i, ms := range []int{100, 100, 200, 400, 500, 500, 500} {
		w := time.Duration(ms) * time.Millisecond
		if got, _ := c.retryWait(i+1, http.Header{}); got != w {
			t.Errorf("attempt %d: min wait %v, want %v", i+1, got, w)
		}
	}
	// Real randomness stays inside the bounds.
	c.randN = func(n int64) int64 { return n / 2 }
	for attempt := 1; attempt < 70; attempt++ {
		if got, _ := c.retryWait(attempt, http.Header{}); got < 100*time.Millisecond || got > time.Second {
			t.Fatalf("attempt %d: wait %v outside [100ms, 1s]", attempt, got)
		}
	}
}

func TestGivesUpWhenRetryAfterPassesTheDeadline(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "30")
		writeProblem(w, 503, `{"title":"Service Unavailable","status":503,"detail":"maintenance"}`)
	})
	c, sl := newClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.GetIntegration(ctx, "finance-powerbi")
	for _, s := range []string{"HTTP 503 Service Unavailable: maintenance", "gave up after 1 attempt", "30s", "context deadline"} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("error %v does not contain %q", err, s)
		}
	}
	if len(sl.recorded()) != 0 || len(srv.requests()) != 1 {
		t.Errorf("waited %v, sent %d requests; want no wait, 1 request", sl.recorded(), len(srv.requests()))
	}
	if ctx.Err() != nil {
		t.Error("the client waited for the deadline instead of giving up at once")
	}
}

func TestCancelWhileWaitingToRetry(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "60")
		writeProblem(w, 429, `{"status":429}`)
	})
	c, _ := newClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The real sleep, cancelled as soon as the wait starts.
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return retry.Sleep(ctx, d)
	}
	done := make(chan error, 1)
	go func() { _, err := c.ListIntegrations(ctx, ListIntegrationsOptions{}); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "HTTP 429") {
			t.Errorf("error = %v, want context.Canceled mentioning the 429", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancellation did not interrupt the 60s wait")
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests after cancel, want 1", n)
	}
}

func TestRetriesConnectionClosedWithoutAnswer(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close() // EOF for the client
			}
			return
		}
		writeJSON(w, 202, `{"integrationExternalId":"x","scheduledAt":"2026-05-20T07:43:00Z","deferred":false,"message":"ok"}`)
	})
	c, _ := newClient(t, srv.URL)
	if _, err := c.TriggerRun(context.Background(), "x"); err != nil {
		t.Fatalf("TriggerRun: %v", err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestRetriesConnectionRefusedThenGivesUp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now
	c, sl := newClient(t, "http://"+addr, func(cfg *Config) { cfg.MaxRetries = 1 })
	_, err = c.GetTeam(context.Background(), "t1")
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "gave up after 2 attempts") ||
		!strings.Contains(err.Error(), `get team "t1"`) {
		t.Fatalf("error = %v", err)
	}
	if len(sl.recorded()) != 1 {
		t.Errorf("waits = %v, want one", sl.recorded())
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			select { // hang until the client gives up on this attempt
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		writeJSON(w, 200, `{"id":"t1","name":"Finance","type":"Team"}`)
	})
	c, _ := newClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond })
	team, err := c.GetTeam(context.Background(), "t1")
	if err != nil || team.Name != "Finance" {
		t.Fatalf("GetTeam = %+v, %v", team, err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestAttemptTimeoutsExhaustRetries(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c, _ := newClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 20 * time.Millisecond; cfg.MaxRetries = 1 })
	_, err := c.GetTeam(context.Background(), "t1")
	if err == nil || !strings.Contains(err.Error(), "no response within 20ms") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Fatalf("error = %v", err)
	}
}

func TestIsTransient(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&attemptTimeoutError{timeout: time.Second, err: context.DeadlineExceeded}, true},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{&net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{io.ErrUnexpectedEOF, true},
		{&net.DNSError{Err: "server misbehaving", IsTemporary: true}, true},
		{&net.DNSError{Err: "no such host", IsNotFound: true}, false},
		{x509.UnknownAuthorityError{}, false},
		{errors.New("unsupported protocol scheme"), false},
	} {
		if got := isTransient(tc.err); got != tc.want {
			t.Errorf("isTransient(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
