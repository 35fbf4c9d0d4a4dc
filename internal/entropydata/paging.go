package entropydata

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// The API pages lists with the 0-based query parameter p and announces a
// further page with an RFC 8288 (formerly 5988) header
// `Link: <https://.../api/assets?p=1>; rel="next"`; no such link means the
// last page. Bodies are plain JSON arrays.
//
// Only p is taken from the next link: the request itself is rebuilt from our
// own base URL and filters, so a link to another host can never receive the
// API key.

// AssetPagesAhead is how many asset-list pages are requested at once. The
// large tenants' asset list spans several pages and the catalog reader walks
// it for every list data source, so fetching them one after another costs a
// round trip per page. The price: up to AssetPagesAhead-1 requests for pages
// beyond the last (or beyond where a walk stops), which are discarded.
const AssetPagesAhead = 4

// walkPages fetches page after page of cl and hands each to fn until fn
// returns false or there is no next page.
func walkPages[T any](ctx context.Context, c *Client, cl call, fn func([]T) bool) error {
	return walkPagesAhead(ctx, c, cl, 1, fn)
}

// pageFetch is one page request, possibly still in flight.
type pageFetch[T any] struct {
	page   int
	cancel context.CancelFunc
	done   chan pageResult[T] // buffered: the request never blocks on a discarded fetch
}

type pageResult[T any] struct {
	items  []T
	header http.Header
	err    error
}

// walkPagesAhead is walkPages with up to ahead requests in flight: once the
// server has announced a next page, the pages after it are requested on the
// guess that p counts up by one. The Link header stays the source of truth:
// pages are handed to fn in order, the walk ends at the first page without a
// next link, and a guess the server contradicts is discarded unread, so
// neither its items nor its errors are seen. ahead 1 is plain sequential
// paging.
func walkPagesAhead[T any](ctx context.Context, c *Client, cl call, ahead int, fn func([]T) bool) error {
	ahead = max(ahead, 1)
	ctx, cancelAll := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// Speculative requests still running are cancelled and awaited, so none
	// outlives the walk.
	defer func() {
		cancelAll()
		wg.Wait()
	}()
	start := func(page int) *pageFetch[T] {
		fctx, cancel := context.WithCancel(ctx)
		f := &pageFetch[T]{page: page, cancel: cancel, done: make(chan pageResult[T], 1)}
		pc := cl
		pc.query = cloneValues(cl.query)
		if page > 0 {
			pc.query.Set("p", strconv.Itoa(page))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer cancel()
			var items []T
			pc.out = &items
			header, err := c.do(fctx, pc)
			f.done <- pageResult[T]{items: items, header: header, err: err}
		}()
		return f
	}

	queue := []*pageFetch[T]{start(0)}
	for fetched := 0; ; fetched++ {
		if fetched >= c.maxPages {
			return fmt.Errorf("%s: stopped after %d pages; the server keeps announcing a next page", cl.label(), fetched)
		}
		cur := queue[0]
		queue = queue[1:]
		r := <-cur.done
		if r.err != nil {
			return r.err
		}
		if !fn(r.items) {
			return nil
		}
		next, ok, err := nextPage(r.header)
		if err != nil {
			return fmt.Errorf("%s: %w", cl.label(), err)
		}
		if !ok {
			return nil
		}
		// Pages must move forward; a server repeating its link would loop forever.
		if next <= cur.page {
			return fmt.Errorf("%s: the server announced page %d as the next page after page %d; stopping to avoid a loop", cl.label(), next, cur.page)
		}
		if len(queue) > 0 && queue[0].page != next {
			for _, f := range queue {
				f.cancel()
			}
			queue = nil
		}
		// Keep the window full, never beyond the pages maxPages allows.
		for len(queue) < ahead && fetched+1+len(queue) < c.maxPages {
			page := next
			if len(queue) > 0 {
				page = queue[len(queue)-1].page + 1
			}
			queue = append(queue, start(page))
		}
	}
}

// listAll collects every page of cl.
func listAll[T any](ctx context.Context, c *Client, cl call) ([]T, error) {
	all := []T{}
	err := walkPages(ctx, c, cl, func(page []T) bool {
		all = append(all, page...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// nextPage returns the p of the rel="next" link, if there is one.
func nextPage(header http.Header) (int, bool, error) {
	target, ok := findLink(header.Values("Link"), "next")
	if !ok {
		return 0, false, nil
	}
	u, err := url.Parse(target)
	if err != nil {
		return 0, false, fmt.Errorf("unparsable next-page link %q: %w", target, err)
	}
	p, err := strconv.Atoi(u.Query().Get("p"))
	if err != nil || p < 0 {
		return 0, false, fmt.Errorf("the next-page link %q has no valid page parameter p", target)
	}
	return p, true, nil
}

// findLink returns the target of the first link whose rel includes rel.
// Each header value may hold several comma-separated links, and commas may
// also occur inside <...> and quoted parameter values.
func findLink(values []string, rel string) (string, bool) {
	for _, v := range values {
		for _, l := range parseLinkHeader(v) {
			for _, r := range strings.Fields(l.params["rel"]) {
				if strings.EqualFold(r, rel) {
					return l.target, true
				}
			}
		}
	}
	return "", false
}

type link struct {
	target string
	params map[string]string // lower-cased names
}

// parseLinkHeader parses `<uri>; name=value; name="quoted, value", <uri2>; ...`.
// It is lenient: a malformed link ends parsing of that header value.
func parseLinkHeader(s string) []link {
	var links []link
	i := 0
	for {
		// Skip separators up to the next "<".
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i >= len(s) || s[i] != '<' {
			return links
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			return links
		}
		l := link{target: strings.TrimSpace(s[i+1 : i+end]), params: map[string]string{}}
		i += end + 1

		// Parameters until a top-level comma.
		for {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			if i >= len(s) || s[i] == ',' {
				break
			}
			if s[i] != ';' {
				links = append(links, l)
				return links
			}
			i++
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			start := i
			for i < len(s) && s[i] != '=' && s[i] != ';' && s[i] != ',' {
				i++
			}
			name := strings.ToLower(strings.TrimSpace(s[start:i]))
			value := ""
			if i < len(s) && s[i] == '=' {
				i++
				for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
					i++
				}
				if i < len(s) && s[i] == '"' {
					var b strings.Builder
					i++
					for i < len(s) && s[i] != '"' {
						if s[i] == '\\' && i+1 < len(s) {
							i++
						}
						b.WriteByte(s[i])
						i++
					}
					i++ // closing quote
					value = b.String()
				} else {
					start := i
					for i < len(s) && s[i] != ';' && s[i] != ',' {
						i++
					}
					value = strings.TrimSpace(s[start:i])
				}
			}
			if _, seen := l.params[name]; !seen && name != "" { // RFC 8288: first occurrence wins
				l.params[name] = value
			}
		}
		links = append(links, l)
	}
}
