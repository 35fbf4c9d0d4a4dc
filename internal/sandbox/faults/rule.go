package faults

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// EnvVar is the environment variable the standalone sandbox reads rules from.
const EnvVar = "ENTROPY_SANDBOX_FAULTS"

// Surface names passed to Middleware.
const (
	SurfaceEntropyData = "entropydata"
	SurfacePowerBI     = "powerbi"
	SurfaceEntra       = "entra"
)

// Rule says which requests to disturb and how.
type Rule struct {
	Surface    string // only this surface; "" = all
	Method     string // "GET", "GET,PUT", or ""/"*" for any
	PathPrefix string // path prefix; '*' matches any run of characters; ""/"*" = any path
	Status     int    // 400-599; 0 = latency only
	RetryAfter time.Duration
	Latency    time.Duration

	Every       int     // fire on every Nth match
	Probability float64 // or fire with this probability (0..1), ...
	Seed        uint64  // ... drawn from a stream seeded with this
	Times       int     // stop after this many firings; 0 = unlimited
}

// Validate reports a rule that cannot work as written.
func (r Rule) Validate() error {
	var errs []error
	switch {
	case r.Status == 0 && r.Latency <= 0:
		errs = append(errs, errors.New("a rule needs a status (400-599), a latency, or both"))
	case r.Status != 0 && (r.Status < 400 || r.Status > 599):
		errs = append(errs, fmt.Errorf("status %d is not an error status (400-599)", r.Status))
	}
	if r.Every < 0 || r.Times < 0 || r.RetryAfter < 0 || r.Latency < 0 {
		errs = append(errs, errors.New("every, times, retry-after and latency cannot be negative"))
	}
	if r.Probability < 0 || r.Probability > 1 {
		errs = append(errs, fmt.Errorf("probability %g is not between 0 and 1", r.Probability))
	}
	if r.Every > 0 && r.Probability > 0 {
		errs = append(errs, errors.New("use every or a probability, not both"))
	}
	switch r.Surface {
	case "", SurfaceEntropyData, SurfacePowerBI, SurfaceEntra:
	default:
		errs = append(errs, fmt.Errorf("surface %q is not entropydata, powerbi or entra", r.Surface))
	}
	return errors.Join(errs...)
}

// String renders the rule in the compact syntax ParseRules reads.
func (r Rule) String() string {
	method := r.Method
	if method == "" {
		method = "*"
	}
	path := r.PathPrefix
	if path == "" {
		path = "*"
	}
	parts := []string{strings.ToUpper(method), path}
	if r.Status != 0 {
		parts = append(parts, strconv.Itoa(r.Status))
	}
	if r.Every > 0 {
		parts = append(parts, "every="+strconv.Itoa(r.Every))
	}
	if r.Probability > 0 {
		parts = append(parts, "p="+strconv.FormatFloat(r.Probability, 'g', -1, 64))
	}
	if r.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatUint(r.Seed, 10))
	}
	if r.Times > 0 {
		parts = append(parts, "times="+strconv.Itoa(r.Times))
	}
	if r.RetryAfter > 0 {
		parts = append(parts, "retry-after="+r.RetryAfter.String())
	}
	if r.Latency > 0 {
		parts = append(parts, "latency="+r.Latency.String())
	}
	if r.Surface != "" {
		parts = append(parts, "surface="+r.Surface)
	}
	return strings.Join(parts, " ")
}

// matcher is a compiled Rule's request filter.
type matcher struct {
	surface string
	methods []string // upper-case; empty = any
	prefix  string   // plain prefix, when pattern is nil
	pattern *regexp.Regexp
}

func compileMatcher(r Rule) matcher {
	m := matcher{surface: r.Surface}
	if meth := strings.TrimSpace(r.Method); meth != "" && meth != "*" {
		for _, x := range strings.Split(meth, ",") {
			m.methods = append(m.methods, strings.ToUpper(strings.TrimSpace(x)))
		}
	}
	switch p := r.PathPrefix; {
	case p == "" || p == "*":
	case strings.Contains(p, "*"):
		parts := strings.Split(p, "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		m.pattern = regexp.MustCompile("^" + strings.Join(parts, ".*")) // no "$": still a prefix
	default:
		m.prefix = p
	}
	return m
}

func (m matcher) matches(surface string, r *http.Request) bool {
	if m.surface != "" && m.surface != surface {
		return false
	}
	if len(m.methods) > 0 {
		ok := false
		for _, x := range m.methods {
			ok = ok || x == r.Method
		}
		if !ok {
			return false
		}
	}
	if m.pattern != nil {
		return m.pattern.MatchString(r.URL.Path)
	}
	return strings.HasPrefix(r.URL.Path, m.prefix)
}
