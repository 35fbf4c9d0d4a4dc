package faults

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/retry"
)

// Injector holds fault rules and request counters for all surfaces. The zero value is not
// usable; create one with NewInjector. It is safe for concurrent use, and rules may be added or
// cleared while requests are in flight.
type Injector struct {
	mu        sync.Mutex
	rules     []*ruleState
	nextID    int
	templates []template
	counts    map[string]int
	total     int
	injected  int
}

type ruleState struct {
	id       int
	rule     Rule
	match    matcher
	rng      *rand.Rand
	matched  int
	injected int
}

// RuleStats reports how often a rule matched and fired.
type RuleStats struct {
	ID       int
	Rule     Rule
	Matched  int
	Injected int
}

// NewInjector returns an Injector with no rules, counting with DefaultTemplates.
func NewInjector() *Injector {
	in := &Injector{counts: map[string]int{}}
	for _, t := range DefaultTemplates {
		in.templates = append(in.templates, parseTemplate(t))
	}
	return in
}

// Add installs a rule and returns its ID (for Remove and RuleStats). It panics if the rule
// is invalid (see Rule.Validate): rules in code are programming, not input; parse user
// input with ParseRules, which returns errors.
func (in *Injector) Add(r Rule) int {
	if err := r.Validate(); err != nil {
		panic(fmt.Sprintf("faults: invalid rule %q: %v", r.String(), err))
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.nextID++
	in.rules = append(in.rules, &ruleState{
		id:    in.nextID,
		rule:  r,
		match: compileMatcher(r),
		rng:   rand.New(rand.NewPCG(r.Seed, 0xfa017)),
	})
	return in.nextID
}

// AddSpec parses rules in the compact syntax and adds them all, or none on error.
func (in *Injector) AddSpec(spec string) ([]int, error) {
	rules, err := ParseRules(spec)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(rules))
	for i, r := range rules {
		ids[i] = in.Add(r)
	}
	return ids, nil
}

// Parse is AddSpec for callers that do not need the rule IDs (the standalone sandbox
// reading EnvVar).
func (in *Injector) Parse(spec string) error {
	_, err := in.AddSpec(spec)
	return err
}

// Remove deletes one rule; it reports whether the rule existed.
func (in *Injector) Remove(id int) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, rs := range in.rules {
		if rs.id == id {
			in.rules = append(in.rules[:i], in.rules[i+1:]...)
			return true
		}
	}
	return false
}

// Clear deletes all rules (counters are kept; see Reset).
func (in *Injector) Clear() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = nil
}

// RuleStats lists the installed rules with their match and firing counts.
func (in *Injector) RuleStats() []RuleStats {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]RuleStats, len(in.rules))
	for i, rs := range in.rules {
		out[i] = RuleStats{ID: rs.id, Rule: rs.rule, Matched: rs.matched, Injected: rs.injected}
	}
	return out
}

// AddTemplate registers a path template ("/api/widgets/{id}") for request counting.
func (in *Injector) AddTemplate(t string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.templates = append(in.templates, parseTemplate(t))
}

// Counts returns requests seen per "METHOD /path/template", injected faults included.
func (in *Injector) Counts() map[string]int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return maps.Clone(in.counts)
}

// Total is the number of requests seen on all surfaces.
func (in *Injector) Total() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.total
}

// Injected is the number of requests answered with an injected fault.
func (in *Injector) Injected() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.injected
}

// Reset zeroes the request counters, including each rule's (rules stay installed).
func (in *Injector) Reset() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.counts = map[string]int{}
	in.total, in.injected = 0, 0
	for _, rs := range in.rules {
		rs.matched, rs.injected = 0, 0
	}
}

// Middleware counts every request to next and applies the rules for the given surface
// (SurfaceEntropyData, SurfacePowerBI, SurfaceEntra, or any other name for a generic JSON
// error body).
func (in *Injector) Middleware(surface string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		latency, fault := in.decide(surface, r)
		if latency > 0 && retry.Sleep(r.Context(), latency) != nil {
			return // the client went away while we were being slow
		}
		if fault != nil {
			writeFault(w, r, surface, fault.rule.Status, fault.rule.RetryAfter, fault.id)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// decide counts the request and evaluates the rules: firing latency rules add up, the
// first firing rule with a status answers.
func (in *Injector) decide(surface string, r *http.Request) (time.Duration, *ruleState) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.total++
	in.counts[r.Method+" "+templatePath(in.templates, r.URL.Path)]++

	var latency time.Duration
	for _, rs := range in.rules {
		if !rs.match.matches(surface, r) {
			continue
		}
		rs.matched++
		if rs.rule.Times > 0 && rs.injected >= rs.rule.Times {
			continue
		}
		var fire bool
		switch {
		case rs.rule.Every > 0:
			fire = rs.matched%rs.rule.Every == 0
		case rs.rule.Probability > 0:
			fire = rs.rng.Float64() < rs.rule.Probability
		default:
			fire = true
		}
		if !fire {
			continue
		}
		rs.injected++
		latency += rs.rule.Latency
		if rs.rule.Status != 0 {
			in.injected++
			return latency, rs
		}
	}
	return latency, nil
}
