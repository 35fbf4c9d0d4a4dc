package entropydata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
	"github.com/entropy-data/terraform-provider-entropydata/internal/transport"
)

// Defaults applied by New for zero Config fields.
const (
	DefaultHost           = "https://api.entropy-data.com"
	DefaultUserAgent      = "terraform-provider-entropydata"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second

	// MaxRetryAfter caps a server's Retry-After so a bogus value cannot park
	// a terraform run for hours; longer values are shortened to this.
	MaxRetryAfter = 120 * time.Second
)

const (
	// maxResponseBytes bounds how much of a response is read; an asset page of
	// 1000 assets with columns stays far below it.
	maxResponseBytes = 64 << 20
	// defaultMaxPages bounds a list so a server that keeps announcing a next
	// page cannot loop forever (1000 pages of up to 1000 items).
	defaultMaxPages = 1000
)

// Config configures a Client. Only Host and APIKey are required.
type Config struct {
	Host           string        // e.g. "https://api.entropy-data.com"; the client appends "/api/..."; a trailing "/" or "/api" is tolerated
	APIKey         string        // sent as x-api-key
	HTTPClient     *http.Client  // nil => a default client (proxy settings from the environment, system CAs)
	UserAgent      string        // e.g. "terraform-provider-entropydata/1.2.3"; "" => DefaultUserAgent
	RequestTimeout time.Duration // per attempt; 0 => DefaultRequestTimeout
	MaxRetries     int           // retries after the first attempt; 0 => none
	RetryWaitMin   time.Duration // 0 => DefaultRetryWaitMin
	RetryWaitMax   time.Duration // 0 => DefaultRetryWaitMax
	// ShareAssetReads lets the readers of the asset list share one walk of it,
	// until the client first writes to assets or integrations (see
	// sharedReads). For a client that serves one Terraform command, as the
	// provider's does.
	ShareAssetReads bool
}

// Client talks to one Entropy Data organization. It is safe for concurrent use.
type Client struct {
	apiBase    string // scheme://host[/prefix]/api, no trailing slash
	apiKey     string
	userAgent  string
	httpClient *http.Client
	timeout    time.Duration
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	maxPages   int
	shared     *sharedReads // nil unless Config.ShareAssetReads

	// Seams so tests can control time and randomness instead of sleeping.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	randN func(n int64) int64 // uniform in [0, n)
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	host := strings.TrimSpace(cfg.Host)
	if host == "" {
		return nil, errors.New("entropydata: the host is empty; set it to the Entropy Data API URL, e.g. " + DefaultHost)
	}
	u, err := url.Parse(host)
	if err != nil {
		return nil, fmt.Errorf("entropydata: the host %q is not a valid URL: %w", host, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("entropydata: the host %q must be an absolute http(s) URL such as %s", host, DefaultHost)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("entropydata: the host %q must not contain user info, a query or a fragment", host)
	}
	// Users copy the API URL from docs that include "/api"; accept it rather
	// than calling /api/api/... and failing with 404s.
	prefix := strings.TrimSuffix(strings.TrimRight(u.EscapedPath(), "/"), "/api")
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, errors.New("entropydata: the API key is empty")
	}

	c := &Client{
		apiBase:    u.Scheme + "://" + u.Host + prefix + "/api",
		apiKey:     cfg.APIKey,
		userAgent:  cfg.UserAgent,
		httpClient: cfg.HTTPClient,
		timeout:    cfg.RequestTimeout,
		maxRetries: max(cfg.MaxRetries, 0),
		waitMin:    cfg.RetryWaitMin,
		waitMax:    cfg.RetryWaitMax,
		maxPages:   defaultMaxPages,
		now:        time.Now,
		sleep:      retry.Sleep,
		randN:      rand.Int64N,
	}
	if cfg.ShareAssetReads {
		c.shared = &sharedReads{}
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.httpClient == nil {
		// The provider passes its own client (with any extra CAs); this
		// default has the same connection pool, sized for Terraform's
		// -parallelism.
		c.httpClient = &http.Client{Transport: transport.New(transport.Options{})}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.waitMin <= 0 {
		c.waitMin = DefaultRetryWaitMin
	}
	if c.waitMax <= 0 {
		c.waitMax = DefaultRetryWaitMax
	}
	c.waitMax = max(c.waitMax, c.waitMin)
	return c, nil
}

// call describes one API operation. Methods fill it in and hand it to do;
// nothing else builds URLs, encodes JSON or looks at status codes.
type call struct {
	op      string     // what the caller was doing, for errors and logs: "get integration"
	object  string     // the id the operation is about; "" for collections
	method  string     // http.MethodGet, ...
	path    []string   // segments under /api; each is escaped, ids must not be empty, "." or ".."
	query   url.Values // optional
	body    any        // JSON-encoded once and replayed on every attempt; nil => no body
	out     any        // a 2xx body is decoded into it; nil => the body is ignored
	secrets []string   // request-specific values to mask in logs (e.g. a client secret)
}

// label names the operation and object the way errors start: `get integration "x"`.
func (cl call) label() string {
	if cl.object == "" {
		return cl.op
	}
	return fmt.Sprintf("%s %q", cl.op, cl.object)
}

// response is what one attempt produced.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do runs cl with retries and returns the final response's headers (for paging).
func (c *Client) do(ctx context.Context, cl call) (http.Header, error) {
	ctx = c.logContext(ctx, cl.secrets...)
	if c.shared != nil && changesAssets(cl) {
		c.shared.stopSharing()
	}

	target, err := c.endpoint(cl.path, cl.query)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cl.label(), err)
	}
	var payload []byte
	if cl.body != nil {
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("%s: encoding the request: %w", cl.label(), err)
		}
	}

	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", cl.label(), err)
		}
		res, err := c.attempt(ctx, cl, target, payload, attempt)
		if err != nil && ctx.Err() != nil {
			// The caller gave up (cancel or deadline), not the network.
			return nil, fmt.Errorf("%s: %w", cl.label(), ctx.Err())
		}

		var failure error
		again := false
		switch {
		case err != nil:
			failure, again = fmt.Errorf("%s: %w", cl.label(), err), isTransient(err)
		case res.status < 200 || res.status > 299:
			apiErr := newAPIError(cl.op, cl.object, res.status, res.body)
			apiErr.redact(append([]string{c.apiKey}, cl.secrets...))
			// Not 500: the API answers it for bugs, and asking again will not help.
			failure, again = apiErr, retry.TransientStatus(res.status)
		default:
			return res.header, decodeBody(cl, res)
		}
		if !again {
			return nil, failure
		}

		if attempt > c.maxRetries {
			return nil, &RetryError{Attempts: attempt, Reason: fmt.Sprintf("retry limit of %d reached", c.maxRetries), Last: failure}
		}
		var header http.Header
		if res != nil {
			header = res.header
		}
		wait, why := c.retryWait(attempt, header)
		if deadline, ok := ctx.Deadline(); ok && c.now().Add(wait).After(deadline) {
			return nil, &RetryError{Attempts: attempt, Reason: fmt.Sprintf("the next retry (in %s, %s) would pass the context deadline", wait, why), Last: failure}
		}
		logRetry(ctx, cl, attempt, wait, why, failure)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s: %w while waiting to retry (last error: %w)", cl.label(), err, failure)
		}
	}
}

// attempt sends one HTTP request and reads the whole response within the
// per-attempt timeout. A nil error means some HTTP status was received.
func (c *Client) attempt(ctx context.Context, cl call, target string, payload []byte, n int) (*response, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload) // fresh reader per attempt: bodies are replayable
	}
	req, err := http.NewRequestWithContext(actx, cl.method, target, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-api-key", c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.httpClient.Do(req)
	if err == nil {
		var data []byte
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
		_ = resp.Body.Close()
		if err == nil && len(data) > maxResponseBytes {
			err = fmt.Errorf("HTTP %d response larger than %d bytes", resp.StatusCode, maxResponseBytes)
		} else if err == nil {
			res := &response{status: resp.StatusCode, header: resp.Header, body: data}
			logResponse(ctx, cl, req, n, res, time.Since(start))
			return res, nil
		}
	}
	if actx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		err = &attemptTimeoutError{timeout: c.timeout, err: err}
	}
	logTransportError(ctx, cl, req, n, err, time.Since(start))
	return nil, err
}

// endpoint builds the URL for path segments below /api.
func (c *Client) endpoint(segments []string, query url.Values) (string, error) {
	var b strings.Builder
	b.WriteString(c.apiBase)
	for _, s := range segments {
		// An empty id would silently address the collection, ".." its parent.
		switch s {
		case "":
			return "", errors.New("the id must not be empty")
		case ".", "..":
			return "", fmt.Errorf("the id %q is not allowed", s)
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	if len(query) > 0 {
		b.WriteByte('?')
		b.WriteString(query.Encode())
	}
	return b.String(), nil
}

// decodeBody decodes a 2xx body into cl.out, when the caller wants one.
func decodeBody(cl call, res *response) error {
	if cl.out == nil {
		return nil
	}
	if len(bytes.TrimSpace(res.body)) == 0 {
		return fmt.Errorf("%s: the server answered HTTP %d with an empty body", cl.label(), res.status)
	}
	if err := json.Unmarshal(res.body, cl.out); err != nil {
		return fmt.Errorf("%s: decoding the response: %w", cl.label(), err)
	}
	return nil
}
