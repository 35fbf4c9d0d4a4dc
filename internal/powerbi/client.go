package powerbi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
	"github.com/entropy-data/terraform-provider-entropydata/internal/transport"
)

// DefaultEndpoint is the Power BI REST API base URL (swagger host + basePath).
const DefaultEndpoint = "https://api.powerbi.com/v1.0/myorg"

// Defaults used when the matching ClientConfig field is zero.
const (
	DefaultMaxRetries       = 4
	DefaultRetryWaitMin     = 1 * time.Second
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxRetryAfter    = 5 * time.Minute
	DefaultGroupsPageSize   = 5000
	DefaultScanPollInterval = 3 * time.Second
	DefaultScanTimeout      = 10 * time.Minute
	DefaultUserAgent        = "terraform-provider-entropydata"
	// DefaultHTTPTimeout bounds one request, including reading a large
	// scan result.
	DefaultHTTPTimeout = 2 * time.Minute
)

// maxResponseBytes caps what we read from one response; scan results for 100
// workspaces are the largest thing we fetch.
const maxResponseBytes = 256 << 20

// TokenProvider supplies a bearer token; *TokenSource implements it. It is
// called before every request, so it must be cheap when the token is cached.
type TokenProvider interface {
	Token(ctx context.Context) (string, error)
}

// ClientConfig configures NewClient. Only Tokens is required.
type ClientConfig struct {
	// Endpoint is the API base including "/v1.0/myorg"; default DefaultEndpoint.
	// Plain http is allowed so the sandbox can run without TLS.
	Endpoint   string
	Tokens     TokenProvider
	HTTPClient *http.Client // default: a client with DefaultHTTPTimeout

	// MaxRetries bounds retries of 429 and 5xx responses: nil means
	// DefaultMaxRetries, 0 or less disables retries.
	MaxRetries *int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff used when
	// the server sends no Retry-After.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter is the longest Retry-After the client is willing to
	// honour; a longer one ends the call with an error instead of hanging.
	MaxRetryAfter time.Duration
	UserAgent     string

	// GroupsPageSize is the $top used to page GET /groups.
	GroupsPageSize int
	// ScanPollInterval is the pause between scanner status polls, and
	// ScanTimeout the longest a single scan may take.
	ScanPollInterval, ScanTimeout time.Duration

	// Sleep and Now are seams for tests: retries and scanner polling wait
	// with Sleep and measure deadlines with Now. Defaults: a context-aware
	// timer and time.Now.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
}

// Client calls the Power BI REST API. It is safe for concurrent use.
type Client struct {
	endpoint string
	tokens   TokenProvider
	http     *http.Client

	maxRetries                 int
	retryWaitMin, retryWaitMax time.Duration
	maxRetryAfter              time.Duration
	userAgent                  string
	groupsPageSize             int
	scanPollInterval           time.Duration
	scanTimeout                time.Duration
	sleep                      func(context.Context, time.Duration) error
	now                        func() time.Time
}

// NewClient validates cfg and fills in defaults. It makes no network call.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.Tokens == nil {
		return nil, errors.New("powerbi: ClientConfig.Tokens is required")
	}
	endpoint := strings.TrimRight(orDefault(cfg.Endpoint, DefaultEndpoint), "/")
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("Power BI endpoint %q must be an absolute http(s) URL such as %s", cfg.Endpoint, DefaultEndpoint)
	}
	c := &Client{
		endpoint:         endpoint,
		tokens:           cfg.Tokens,
		http:             cfg.HTTPClient,
		maxRetries:       DefaultMaxRetries,
		retryWaitMin:     orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin),
		retryWaitMax:     orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax),
		maxRetryAfter:    orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		userAgent:        orDefault(cfg.UserAgent, DefaultUserAgent),
		groupsPageSize:   orDefault(cfg.GroupsPageSize, DefaultGroupsPageSize),
		scanPollInterval: orDefault(cfg.ScanPollInterval, DefaultScanPollInterval),
		scanTimeout:      orDefault(cfg.ScanTimeout, DefaultScanTimeout),
		sleep:            cfg.Sleep,
		now:              cfg.Now,
	}
	if c.http == nil {
		c.http = &http.Client{Transport: transport.New(transport.Options{}), Timeout: DefaultHTTPTimeout}
	}
	if cfg.MaxRetries != nil {
		c.maxRetries = max(*cfg.MaxRetries, 0)
	}
	if c.retryWaitMax < c.retryWaitMin {
		c.retryWaitMax = c.retryWaitMin
	}
	if c.sleep == nil {
		c.sleep = retry.Sleep
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Endpoint returns the API base URL in use.
func (c *Client) Endpoint() string { return c.endpoint }

// request describes one logical API call; do may send it several times.
type request struct {
	op     string // what the user asked for, e.g. "list workspaces"
	method string
	path   string // below the endpoint, e.g. "/groups"
	query  string // already encoded
	body   any    // JSON-encoded when not nil
	admin  bool   // admin (scanner) API: changes the 401 advice
	accept []int  // success statuses; default 200
}

func (r request) operation() string {
	return fmt.Sprintf("%s (%s %s)", r.op, r.method, r.path)
}

// do sends r with a fresh bearer token, retries what is worth retrying and
// decodes a successful JSON response into out (when out is not nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	var payload []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return fmt.Errorf("%s: encoding request: %w", r.operation(), err)
		}
		payload = b
	}
	for attempt := 0; ; attempt++ {
		res := c.attempt(ctx, r, payload, out)
		lastErr := res.err
		if lastErr == nil {
			return nil
		}
		if !res.retry {
			return lastErr
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w (last error: %v)", r.operation(), ctx.Err(), lastErr)
		}
		if attempt >= c.maxRetries {
			return giveUp(lastErr, attempt+1)
		}
		wait, fromServer := res.retryAfter, res.retryAfter > 0
		if !fromServer {
			wait = c.backoff(attempt)
		}
		if err := c.pause(ctx, r, wait, fromServer, lastErr); err != nil {
			return err
		}
	}
}

// outcome is the result of one attempt: the error (nil on success), any
// Retry-After the server asked for, and whether retrying may help.
type outcome struct {
	err        error
	retryAfter time.Duration
	retry      bool
}

// attempt sends r once.
func (c *Client) attempt(ctx context.Context, r request, payload []byte, out any) outcome {
	token, err := c.tokens.Token(ctx)
	if err != nil {
		ae, ok := AsAuthError(err)
		return outcome{err: fmt.Errorf("%s: %w", r.operation(), err), retry: ok && ae.Temporary()}
	}

	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	u := c.endpoint + r.path
	if r.query != "" {
		u += "?" + r.query
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return outcome{err: fmt.Errorf("%s: %w", r.operation(), err)}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if err != nil {
		// Connection resets and timeouts are worth another try; a cancelled
		// context is caught by the caller before it retries.
		return outcome{err: fmt.Errorf("%s: %w", r.operation(), err), retry: true}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return outcome{err: fmt.Errorf("%s: reading response: %w", r.operation(), err), retry: true}
	}

	if !accepted(r, resp.StatusCode) {
		apiErr := newAPIError(r, resp, data, c.now())
		return outcome{err: apiErr, retryAfter: apiErr.RetryAfter, retry: retryableStatus(resp.StatusCode)}
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return outcome{}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return outcome{err: fmt.Errorf("%s: decoding the response (HTTP %d): %w", r.operation(), resp.StatusCode, err)}
	}
	return outcome{}
}

func accepted(r request, status int) bool {
	if len(r.accept) == 0 {
		return status == http.StatusOK
	}
	for _, s := range r.accept {
		if s == status {
			return true
		}
	}
	return false
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
