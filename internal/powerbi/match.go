package powerbi

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the ONE filter matcher of the product: plan-time previews,
// data sources and the sandbox's ingestion worker all call it, so they can
// never disagree about what a pattern selects.
//
// Rules:
//   - `*` is the only wildcard and matches any run of characters, including
//     none; every other character (also `?`, `.`, `[`) is literal.
//   - A pattern matches the WHOLE name, case-insensitively with Unicode
//     simple case folding (what strings.EqualFold does).
//   - A pattern that is a GUID also matches an item whose id is that GUID.
//   - An empty Include list selects everything; Exclude always wins.
//
// Matching never builds a regexp from user input: it is the greedy
// two-pointer wildcard algorithm over case-folded runes, which takes at
// most len(pattern)*len(name) steps and cannot backtrack exponentially.

// MaxPatternLength is the longest pattern ValidatePattern accepts, in
// characters; real Power BI names are far shorter.
const MaxPatternLength = 256

// Filter selects items by name or id.
type Filter struct {
	Include []string
	Exclude []string
}

// Filters holds one Filter per kind of Power BI item.
type Filters struct {
	Workspaces     Filter
	SemanticModels Filter
	Reports        Filter
}

// Matches reports whether the item with this name and id is selected: it
// matches some include pattern (or Include is empty) and no exclude pattern.
func (f Filter) Matches(name, id string) bool {
	folded := foldString(name)
	if len(f.Include) > 0 && !anyPatternMatches(f.Include, folded, id) {
		return false
	}
	return !anyPatternMatches(f.Exclude, folded, id)
}

// MatchPattern reports whether one pattern selects the item, by the same
// rules as a Filter with that single include (e.g. a data source's name).
func MatchPattern(pattern, name, id string) bool {
	return Filter{Include: []string{pattern}}.Matches(name, id)
}

// ExactIncludes returns the include patterns that contain no `*`, in order.
// Such a pattern names one item exactly (or is a GUID), so a caller can warn
// when it selects nothing, which is usually a typo.
func (f Filter) ExactIncludes() []string {
	var out []string
	for _, p := range f.Include {
		if !strings.Contains(p, "*") {
			out = append(out, p)
		}
	}
	return out
}

// Validate checks every pattern with ValidatePattern and reports all
// problems, each prefixed with include[i] or exclude[i].
func (f Filter) Validate() error {
	var errs []error
	for i, p := range f.Include {
		if err := ValidatePattern(p); err != nil {
			errs = append(errs, fmt.Errorf("include[%d]: %w", i, err))
		}
	}
	for i, p := range f.Exclude {
		if err := ValidatePattern(p); err != nil {
			errs = append(errs, fmt.Errorf("exclude[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

func anyPatternMatches(patterns []string, foldedName []rune, id string) bool {
	for _, p := range patterns {
		if id != "" && IsGUID(p) && strings.EqualFold(p, id) {
			return true
		}
		if wildcardMatch(foldString(p), foldedName) {
			return true
		}
	}
	return false
}

// wildcardMatch is the classic greedy matcher: walk both strings; on `*`
// remember where it was and let it match nothing; on a mismatch after a
// `*`, let that `*` swallow one more character and resume. Only the last
// `*` is ever revisited, which is what keeps it polynomial.
func wildcardMatch(pattern, name []rune) bool {
	p, n := 0, 0
	star, starN := -1, 0 // position of the last `*`, and where in name it started
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, starN = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			starN++
			p, n = star+1, starN
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// foldString maps each rune to a canonical member of its simple case-fold
// orbit, so two strings are EqualFold exactly when their folds are equal.
// Invalid UTF-8 bytes become U+FFFD, as in a range loop.
func foldString(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, foldRune(r))
	}
	return out
}

// foldRune returns the smallest rune in r's unicode.SimpleFold orbit
// (e.g. k, K and the Kelvin sign K all fold to K).
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < least {
			least = f
		}
	}
	return least
}

// IsGUID reports whether s has the 8-4-4-4-12 hex shape of a Power BI (and
// Microsoft Entra ID) id.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// PatternError explains why a filter pattern is rejected.
type PatternError struct {
	Pattern string
	Reason  string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("invalid pattern %q: %s", e.Pattern, e.Reason)
}

// invisibleRunes are characters that sneak in through copy and paste and
// make a pattern silently fail to match a name that looks identical.
var invisibleRunes = map[rune]string{
	'\u200B': "zero-width space",
	'\u200E': "left-to-right mark",
	'\u200F': "right-to-left mark",
	'\u2060': "word joiner",
	'\uFEFF': "byte order mark",
	'\u2028': "line separator",
	'\u2029': "paragraph separator",
}

// ValidatePattern checks a filter pattern. The error (a *PatternError) says
// exactly what is wrong and is written to be shown as a Terraform attribute
// error.
func ValidatePattern(p string) error {
	fail := func(format string, args ...any) error {
		return &PatternError{Pattern: p, Reason: fmt.Sprintf(format, args...)}
	}
	if !utf8.ValidString(p) {
		return fail("it is not valid UTF-8 text")
	}
	if p == "" {
		return fail(`it is empty; use "*" to match every name`)
	}
	if strings.TrimSpace(p) == "" {
		return fail(`it contains only whitespace; use "*" to match every name`)
	}
	if n := utf8.RuneCountInString(p); n > MaxPatternLength {
		return fail("it is %d characters long; the maximum is %d", n, MaxPatternLength)
	}
	if first, _ := utf8.DecodeRuneInString(p); unicode.IsSpace(first) {
		return fail("it starts with whitespace; remove it (a pattern must match the whole name, so leading spaces would never match)")
	}
	if last, _ := utf8.DecodeLastRuneInString(p); unicode.IsSpace(last) {
		return fail("it ends with whitespace; remove it (a pattern must match the whole name, so trailing spaces would never match)")
	}
	pos := 0
	for _, r := range p {
		pos++
		switch {
		case unicode.IsControl(r):
			return fail("character %d is the control character %U; Power BI names cannot contain control characters such as tabs or line breaks", pos, r)
		case invisibleRunes[r] != "":
			return fail("character %d is an invisible %s (%U), probably pasted by accident; remove it", pos, invisibleRunes[r], r)
		case r == utf8.RuneError:
			return fail("character %d is the replacement character %U, a sign of text that was mangled by a wrong encoding", pos, r)
		}
	}
	lower := strings.ToLower(p)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return fail("it looks like a URL; use the item's name, or its GUID (the part after /groups/, /datasets/ or /reports/ in the URL)")
	}
	if len(p) == 38 && p[0] == '{' && p[37] == '}' && IsGUID(p[1:37]) {
		return fail("remove the braces: a GUID pattern is written as %s", p[1:37])
	}
	return nil
}
