package faults

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseRules reads rules in the compact syntax described in the package documentation.
// An empty spec yields no rules. Errors name the rule (1-based) and the offending part.
func ParseRules(spec string) ([]Rule, error) {
	var rules []Rule
	var errs []error
	n := 0
	for _, line := range strings.Split(spec, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, text := range strings.Split(line, ";") {
			if strings.TrimSpace(text) == "" {
				continue
			}
			n++
			r, err := parseRule(text)
			if err != nil {
				errs = append(errs, fmt.Errorf("fault rule %d %q: %w", n, strings.TrimSpace(text), err))
				continue
			}
			rules = append(rules, r)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rules, nil
}

func parseRule(text string) (Rule, error) {
	f := strings.Fields(text)
	if len(f) < 2 {
		return Rule{}, errors.New("want METHOD PATH [STATUS] [key=value ...]")
	}
	r := Rule{Method: f[0], PathPrefix: f[1]}
	if r.Method != "*" {
		for _, m := range strings.Split(r.Method, ",") {
			if m == "" || strings.Trim(strings.ToUpper(m), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
				return Rule{}, fmt.Errorf("method %q is not an HTTP method or *", f[0])
			}
		}
		r.Method = strings.ToUpper(r.Method)
	}
	if r.PathPrefix != "*" && !strings.HasPrefix(r.PathPrefix, "/") {
		return Rule{}, fmt.Errorf("path %q must start with / (or be *)", f[1])
	}
	rest := f[2:]
	if len(rest) > 0 && !strings.Contains(rest[0], "=") {
		status, err := strconv.Atoi(rest[0])
		if err != nil {
			return Rule{}, fmt.Errorf("status %q is not a number", rest[0])
		}
		r.Status = status
		rest = rest[1:]
	}
	for _, kv := range rest {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return Rule{}, fmt.Errorf("%q is not key=value", kv)
		}
		var err error
		switch strings.ToLower(k) {
		case "every":
			r.Every, err = strconv.Atoi(v)
		case "p", "probability":
			r.Probability, err = strconv.ParseFloat(v, 64)
		case "seed":
			r.Seed, err = strconv.ParseUint(v, 10, 64)
		case "times":
			r.Times, err = strconv.Atoi(v)
		case "retry-after":
			r.RetryAfter, err = parseDuration(v)
		case "latency":
			r.Latency, err = parseDuration(v)
		case "surface":
			r.Surface = strings.ToLower(v)
		default:
			return Rule{}, fmt.Errorf("unknown key %q (want every, p, seed, times, retry-after, latency or surface)", k)
		}
		if err != nil {
			return Rule{}, fmt.Errorf("%s: %w", k, err)
		}
	}
	return r, r.Validate()
}

// parseDuration accepts a Go duration or a whole number of seconds.
func parseDuration(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}
