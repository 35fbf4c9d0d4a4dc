package entropyapi

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// handlerFunc is an endpoint: it writes the success response itself and returns an error for
// everything else, which the router turns into a problem+json body.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// router is a tiny method+path router. http.ServeMux would do the matching, but its own 404 and 405
// answers are text/plain, and the API answers every error with problem+json.
//
// Patterns are "/"-separated segments: a literal, "{name}" (one segment) or "{name...}" (the rest,
// at least one segment). When several patterns match, the most literal wins, segment by segment,
// so /api/integrations/ingest beats /api/integrations/{externalId}.
type router struct {
	routes []route
}

type route struct {
	method string
	segs   []string
	h      handlerFunc
}

func (rt *router) handle(method, pattern string, h handlerFunc) {
	rt.routes = append(rt.routes, route{method: method, segs: strings.Split(strings.TrimPrefix(pattern, "/"), "/"), h: h})
}

func (rt *router) serve(w http.ResponseWriter, r *http.Request) {
	path := splitEscapedPath(r.URL.EscapedPath())
	var best *route
	var bestVals map[string]string
	var allowed []string
	for i := range rt.routes {
		rte := &rt.routes[i]
		vals, ok := rte.match(path)
		if !ok {
			continue
		}
		if rte.method != r.Method {
			allowed = append(allowed, rte.method)
			continue
		}
		if best == nil || moreSpecific(rte.segs, best.segs) {
			best, bestVals = rte, vals
		}
	}
	switch {
	case best != nil:
		for k, v := range bestVals {
			r.SetPathValue(k, v)
		}
		if err := best.h(w, r); err != nil {
			writeError(w, r, err)
		}
	case len(allowed) > 0:
		sort.Strings(allowed)
		w.Header().Set("Allow", strings.Join(dedupe(allowed), ", "))
		writeProblem(w, r, &APIError{Status: http.StatusMethodNotAllowed, Detail: "Request method '" + r.Method + "' is not supported for " + r.URL.Path + "."})
	default:
		writeProblem(w, r, &APIError{Status: http.StatusNotFound, Detail: "No endpoint " + r.Method + " " + r.URL.Path + "."})
	}
}

// splitEscapedPath splits on the escaped path so that an encoded "/" (%2F) stays inside one
// segment, then unescapes each segment.
func splitEscapedPath(p string) []string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		if u, err := url.PathUnescape(s); err == nil {
			parts[i] = u
		}
	}
	return parts
}

func (rt *route) match(path []string) (map[string]string, bool) {
	vals := map[string]string{}
	for i, seg := range rt.segs {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			name = strings.TrimSuffix(name, "}")
			if rest, isRest := strings.CutSuffix(name, "..."); isRest {
				if i >= len(path) || path[i] == "" {
					return nil, false
				}
				vals[rest] = strings.Join(path[i:], "/")
				return vals, true
			}
			if i >= len(path) || path[i] == "" {
				return nil, false
			}
			vals[name] = path[i]
			continue
		}
		if i >= len(path) || path[i] != seg {
			return nil, false
		}
	}
	return vals, len(path) == len(rt.segs)
}

// moreSpecific reports whether pattern a beats pattern b: at the first segment where they differ in
// kind, a literal beats a wildcard and a one-segment wildcard beats a rest wildcard.
func moreSpecific(a, b []string) bool {
	rank := func(seg string) int {
		switch {
		case strings.HasSuffix(seg, "...}"):
			return 0
		case strings.HasPrefix(seg, "{"):
			return 1
		default:
			return 2
		}
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if ra, rb := rank(a[i]), rank(b[i]); ra != rb {
			return ra > rb
		}
	}
	return len(a) > len(b)
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
