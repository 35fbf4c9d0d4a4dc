package entropyapi

import (
	"net/http"
	"strconv"
)

// Paged lists are plain JSON arrays. The 0-based page is the `p` query parameter, and an RFC 5988
// `Link: <...?p=N+1>; rel="next"` header is present exactly when another page exists.

// pageNumber parses `p`; absent means 0.
func pageNumber(r *http.Request) (int, error) {
	return intParam(r, "p", 0, 0, -1)
}

// intParam parses an optional integer query parameter within [lo, hi] (hi < 0: unbounded).
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || (hi >= 0 && n > hi) {
		if hi >= 0 {
			return 0, badRequest("Query parameter '%s' must be an integer between %d and %d, got %q.", name, lo, hi, raw)
		}
		return 0, badRequest("Query parameter '%s' must be an integer >= %d, got %q.", name, lo, raw)
	}
	return n, nil
}

// boolParam parses an optional boolean query parameter; nil means absent.
func boolParam(r *http.Request, name string) (*bool, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return nil, badRequest("Query parameter '%s' must be true or false, got %q.", name, raw)
	}
	return &b, nil
}

// writePage writes page p (of size items) of all as a JSON array, with the Link header when more
// pages follow. A page past the end is an empty array.
func writePage[T any](w http.ResponseWriter, r *http.Request, all []T, p, size int) {
	start := p * size
	if start > len(all) || start < 0 {
		start = len(all)
	}
	end := min(start+size, len(all))
	if end < len(all) {
		w.Header().Set("Link", "<"+nextPageURL(r, p+1)+`>; rel="next"`)
	}
	page := all[start:end]
	if page == nil {
		page = []T{}
	}
	writeJSON(w, http.StatusOK, page)
}

// nextPageURL is the request URL with p replaced, absolute when the Host is known.
func nextPageURL(r *http.Request, p int) string {
	q := r.URL.Query()
	q.Set("p", strconv.Itoa(p))
	u := r.URL.Path + "?" + q.Encode()
	if r.Host == "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	} else if fp := r.Header.Get("X-Forwarded-Proto"); fp == "https" || fp == "http" {
		scheme = fp
	}
	return scheme + "://" + r.Host + u
}
