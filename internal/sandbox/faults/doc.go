// Package faults injects failures and latency into the sandbox's HTTP surfaces and counts
// the requests they serve.
//
// One Injector wraps every surface (the Entropy Data API, Power BI, Entra ID) with
// Middleware(surface, handler). Rules decide which requests fail; an injected failure is
// shaped like the surface's own errors (RFC 7807 problem+json for Entropy Data, Power BI's
// {"error":{...}}, Entra's OAuth error JSON) and carries Retry-After in seconds when the
// rule sets one, so clients exercise their real retry paths. Every injected response also
// has an X-Sandbox-Fault header naming the rule, to tell it apart from a genuine error.
//
// Evaluation, per request: rules are checked in the order they were added. Latency-only
// rules (no status) that fire add their delay; the first rule with a status that fires
// answers the request instead of the wrapped handler. A rule with Every=N fires on every
// Nth request it matches; with Probability=p it fires with that chance, drawn from its own
// random stream seeded by Seed (so a run is reproducible for a given request order); with
// neither it fires on every match. Times=N retires the rule after N firings.
//
// # Compact rule syntax
//
// The standalone sandbox reads rules from the ENTROPY_SANDBOX_FAULTS environment variable
// (see ParseRules):
//
//	ENTROPY_SANDBOX_FAULTS="PUT /api/dataproducts 429 every=3 retry-after=1s; * /v1.0/ 503 p=0.33 seed=7"
//
// Rules are separated by ";" or newlines; "#" starts a comment that runs to the end of the
// line. Each rule is
//
//	METHOD PATH [STATUS] [key=value ...]
//
//	METHOD       an HTTP method, several joined by commas (GET,PUT), or * for any
//	PATH         a path prefix such as /api/dataproducts or /v1.0/myorg/groups; * inside
//	             it matches any run of characters (/v1.0/myorg/groups/*/datasets); a lone
//	             * matches every path
//	STATUS       the status to answer with, 400-599 (typically 429, 500, 502, 503, 504);
//	             may be left out when latency= is given
//	every=N      fire on every Nth matching request
//	p=F          fire with probability F (0..1); also probability=F
//	seed=N       seed of the rule's random stream (default 0)
//	times=N      stop after N firings (default: never stop)
//	retry-after=D  send Retry-After (rounded up to whole seconds)
//	latency=D    delay the response by D (with or without a status)
//	surface=S    only on one surface: entropydata, powerbi or entra
//
// D is a Go duration (250ms, 1s, 1m30s) or a whole number of seconds.
package faults
