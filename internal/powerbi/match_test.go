package powerbi

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const (
	guidA = "3d9b93c6-7b6d-4801-a491-1738910904fd"
	guidB = "f089354e-8366-4e18-aea3-4cb4a3a50b48"
)

func TestSinglePatternMatching(t *testing.T) {
	cases := []struct {
		pattern, name, id string
		want              bool
	}{
		// whole-name, case-insensitive
		{"Finance", "Finance", "", true},
		{"finance", "FINANCE", "", true},
		{"Finance", "Finance Sandbox", "", false},
		{"Finance", "My Finance", "", false},
		// `*` matches any run, including none
		{"Finance*", "Finance", "", true},
		{"Finance*", "Finance Sandbox", "", true},
		{"Finance*", "My Finance", "", false},
		{"*Sandbox*", "Finance Sandbox (old)", "", true},
		{"*Sandbox*", "Sandbox", "", true},
		{"*(old)", "Revenue (old)", "", true},
		{"*(old)", "Revenue (old) v2", "", false},
		{"F*e", "Finance", "", true},
		{"F*e", "Fe", "", true},
		{"F*e", "F", "", false},
		{"a*b*c", "a-b-b-c", "", true},
		{"a*b*c", "acb", "", false},
		{"**", "", "", true},
		{"*", "", "", true},
		{"*", "anything at all", "", true},
		{"", "", "", true},
		{"", "x", "", false},
		// every other character is literal
		{"Sales?", "Sales?", "", true},
		{"Sales?", "Sales1", "", false},
		{"Sales.v2", "Salesxv2", "", false},
		{"[Draft]*", "[Draft] Plan", "", true},
		{"^Fin$", "Fin", "", false},
		{`a\*`, `a\anything`, "", true},
		// a literal `*` in a name is just a character for `*` to cover
		{"*", "5* Hotel", "", true},
		// Unicode simple folding
		{"ÄRGER", "ärger", "", true},
		{"straße", "STRASSE", "", false}, // full folding (ß -> ss) is not simple folding
		{"ΣΊΣΥΦΟΣ", "σίσυφος", "", true},
		{"σίσυφος", "ΣΊΣΥΦΟΣ", "", true},
		{"kelvin", "\u212Aelvin", "", true}, // Kelvin sign folds with k
		{"*ſ*", "S", "", true},              // long s folds with s
		{"Umsatz 📈", "umsatz 📈", "", true},
		// GUID patterns also match the id, in any case
		{guidA, "Some Workspace", guidA, true},
		{strings.ToUpper(guidA), "Some Workspace", guidA, true},
		{guidA, "Some Workspace", guidB, false},
		{guidA, guidA, "", true}, // and, like any pattern, a name
		{guidA[:8] + "*", "Other", guidA, false},
	}
	for _, tc := range cases {
		if got := MatchPattern(tc.pattern, tc.name, tc.id); got != tc.want {
			t.Errorf("pattern %q vs name %q id %q = %v, want %v", tc.pattern, tc.name, tc.id, got, tc.want)
		}
	}
}

func TestFilterIncludeExclude(t *testing.T) {
	cases := []struct {
		name   string
		filter Filter
		item   string
		id     string
		want   bool
	}{
		{"empty filter selects all", Filter{}, "Anything", guidA, true},
		{"empty include selects all but excluded", Filter{Exclude: []string{"*Sandbox*"}}, "Finance", guidA, true},
		{"exclude applies with empty include", Filter{Exclude: []string{"*Sandbox*"}}, "Finance Sandbox", guidA, false},
		{"any include suffices", Filter{Include: []string{"HR", "Finance*"}}, "Finance EU", guidA, true},
		{"no include matches", Filter{Include: []string{"HR", "Finance*"}}, "Marketing", guidA, false},
		{"exclude wins over include", Filter{Include: []string{"Finance*"}, Exclude: []string{"*Sandbox*"}}, "Finance Sandbox", guidA, false},
		{"exclude wins over exact include", Filter{Include: []string{"Finance"}, Exclude: []string{"Finance"}}, "Finance", guidA, false},
		{"exclude by GUID", Filter{Exclude: []string{guidA}}, "Finance", guidA, false},
		{"include by GUID", Filter{Include: []string{guidB}}, "Renamed", guidB, true},
		{"exclude wins over GUID include", Filter{Include: []string{guidB}, Exclude: []string{"Renamed"}}, "Renamed", guidB, false},
	}
	for _, tc := range cases {
		if got := tc.filter.Matches(tc.item, tc.id); got != tc.want {
			t.Errorf("%s: Matches(%q) = %v, want %v", tc.name, tc.item, got, tc.want)
		}
	}
}

func TestExactIncludes(t *testing.T) {
	f := Filter{Include: []string{"Finance", "Fin*", guidA, "*"}, Exclude: []string{"HR"}}
	if got := f.ExactIncludes(); !slices.Equal(got, []string{"Finance", guidA}) {
		t.Errorf("ExactIncludes = %v", got)
	}
	if got := (Filter{}).ExactIncludes(); got != nil {
		t.Errorf("ExactIncludes of empty filter = %v", got)
	}
}

func TestValidatePattern(t *testing.T) {
	valid := []string{
		"*", "Finance", "Finance*", "*Sandbox*", "Revenue (old)", "Sales?", "ÄRGER", "Umsatz 📈",
		guidA, strings.Repeat("x", MaxPatternLength), strings.Repeat("é", MaxPatternLength), "a  b",
	}
	for _, p := range valid {
		if err := ValidatePattern(p); err != nil {
			t.Errorf("ValidatePattern(%q) = %v, want nil", p, err)
		}
	}
	invalid := []struct {
		pattern, mustSay string
	}{
		{"", `it is empty; use "*"`},
		{"   ", "only whitespace"},
		{" Finance", "starts with whitespace"},
		{"Finance ", "ends with whitespace"},
		{"Finance\u00a0", "ends with whitespace"},
		{"Fin\tance", "character 4 is the control character U+0009"},
		{"Fin\nance", "control character U+000A"},
		{"Fin\x00ance", "control character U+0000"},
		{"Fin\u200bance", "invisible zero-width space (U+200B)"},
		{"\ufeffFinance", "byte order mark"},
		{"Fin\xffance", "not valid UTF-8"},
		{"Fin\ufffdance", "replacement character"},
		{strings.Repeat("x", MaxPatternLength+1), "257 characters long; the maximum is 256"},
		{"https://app.powerbi.com/groups/" + guidA + "/list", "looks like a URL"},
		{"{" + guidA + "}", "remove the braces"},
	}
	for _, tc := range invalid {
		err := ValidatePattern(tc.pattern)
		if err == nil {
			t.Errorf("ValidatePattern(%q) = nil, want an error saying %q", tc.pattern, tc.mustSay)
			continue
		}
		if !strings.Contains(err.Error(), tc.mustSay) {
			t.Errorf("ValidatePattern(%q) = %q, want it to say %q", tc.pattern, err, tc.mustSay)
		}
		var pe *PatternError
		if !asPatternError(err, &pe) || pe.Pattern != tc.pattern {
			t.Errorf("ValidatePattern(%q) error is not a *PatternError for that pattern: %#v", tc.pattern, err)
		}
	}
}

func asPatternError(err error, target **PatternError) bool {
	return errors.As(err, target)
}

func TestFilterValidateNamesEachBadPattern(t *testing.T) {
	err := Filter{Include: []string{"ok*", ""}, Exclude: []string{"bad "}}.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, s := range []string{"include[1]: invalid pattern \"\"", "exclude[0]: invalid pattern \"bad \""} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q:\n%s", s, err)
		}
	}
	if err := (Filter{Include: []string{"*"}}).Validate(); err != nil {
		t.Errorf("valid filter: %v", err)
	}
}

func TestMatchingIsNotExponential(t *testing.T) {
	// The classic regexp/backtracking killer: a*a*a*...b against aaaa...
	// A backtracking matcher needs astronomically many steps; ours needs
	// at most len(pattern)*len(name).
	pattern := strings.Repeat("a*", 100) + "b"
	name := strings.Repeat("a", 10000)
	if (Filter{Include: []string{pattern}}).Matches(name, "") {
		t.Fatal("must not match")
	}
}
