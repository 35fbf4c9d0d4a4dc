package powerbi

import (
	"strings"
	"testing"
)

// referenceMatch is a deliberately simple dynamic-programming matcher that
// compares runes with strings.EqualFold; it is the oracle for the greedy
// matcher. Invalid UTF-8 bytes become U+FFFD on both sides.
func referenceMatch(pattern, name string) bool {
	p, n := []rune(pattern), []rune(name)
	// ok[i][j]: p[:i] matches n[:j]
	ok := make([][]bool, len(p)+1)
	for i := range ok {
		ok[i] = make([]bool, len(n)+1)
	}
	ok[0][0] = true
	for i := 1; i <= len(p); i++ {
		for j := 0; j <= len(n); j++ {
			if p[i-1] == '*' {
				ok[i][j] = ok[i-1][j] || (j > 0 && ok[i][j-1])
			} else {
				ok[i][j] = j > 0 && ok[i-1][j-1] && strings.EqualFold(string(p[i-1]), string(n[j-1]))
			}
		}
	}
	return ok[len(p)][len(n)]
}

// swapASCIICase flips a-z/A-Z, a case change every folding must ignore.
func swapASCIICase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		case 'A' <= r && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

func FuzzMatch(f *testing.F) {
	// More seeds live in testdata/fuzz/FuzzMatch.
	f.Add("Finance*", "Finance Sandbox")
	f.Add("*(old)", "Revenue (old)")
	f.Add("a*b*c", "a-b-b-c")
	f.Add("ΣΊΣΥΦΟΣ", "σίσυφος")
	f.Add(guidA, "x")

	f.Fuzz(func(t *testing.T, pattern, name string) {
		if len(pattern) > 64 || len(name) > 256 {
			t.Skip() // keep the O(n*m) oracle fast
		}
		match := func(p, n string) bool { return Filter{Include: []string{p}}.Matches(n, "") }

		got := match(pattern, name)
		if want := referenceMatch(pattern, name); got != want {
			t.Fatalf("Matches(%q, %q) = %v, reference says %v", pattern, name, got, want)
		}
		if !strings.Contains(pattern, "*") {
			if !match(pattern, pattern) || !match(pattern, swapASCIICase(pattern)) {
				t.Fatalf("pattern %q without * must match itself, in any ASCII case", pattern)
			}
		}
		if got != match(swapASCIICase(pattern), name) {
			t.Fatalf("matching %q against %q depends on ASCII case", pattern, name)
		}
		if !match("*", name) {
			t.Fatalf("* must match %q", name)
		}
		if got && !match("*"+pattern+"*", "x"+name+"y") {
			t.Fatalf("*%s* must match x%sy", pattern, name)
		}
		excl := Filter{Include: []string{pattern, "*"}, Exclude: []string{pattern}}
		if got && excl.Matches(name, "") {
			t.Fatalf("exclude %q must win for %q", pattern, name)
		}
		if (Filter{}).Matches(name, pattern) != true {
			t.Fatal("an empty filter selects everything")
		}
		if IsGUID(pattern) && !(Filter{Include: []string{pattern}}).Matches(name, strings.ToUpper(pattern)) {
			t.Fatalf("GUID pattern %q must match its id in any case", pattern)
		}
	})
}
