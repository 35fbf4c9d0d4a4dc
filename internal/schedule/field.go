package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// fieldSpec describes one cron field in one dialect. Values are parsed in
// the dialect's own numbering ("written" values) and then mapped to bits, so
// that ranges like "1-5" mean what that dialect means.
type fieldSpec struct {
	name     string   // used in error messages: "hour field ..."
	min, max int      // accepted written values
	names    []string // optional three-letter names; names[i] is written value nameBase+i
	nameBase int
	toBit    func(v int) int // written value -> bit; nil means identity
	note     string          // appended to out-of-range errors
	hintMax  int             // largest value in the usual numbering (cron weekday: 6), for hints; 0 means max
	openStep bool            // Quartz allows "5/15" (from 5 to max, every 15)
	question bool            // "?" allowed, meaning "no restriction"
}

var (
	monthNames   = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	weekdayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

// errorf formats a field error as "<name> field "<text>": <reason>", the
// shape shown under the Terraform attribute.
func (f *fieldSpec) errorf(text, format string, args ...any) error {
	return fmt.Errorf("%s field %q: %s", f.name, text, fmt.Sprintf(format, args...))
}

// parse turns one field ("1-5,10", "*/15", "MON-FRI") into a bitset.
// It accepts lists of items; each item is "*", a value, or a range "a-b",
// optionally followed by "/step".
func (f *fieldSpec) parse(text string) (bitset, error) {
	if text == "?" {
		if !f.question {
			return 0, f.errorf(text, `"?" is only allowed in the day-of-month and day-of-week fields`)
		}
		return f.all(), nil
	}
	var set bitset
	for _, item := range strings.Split(text, ",") {
		if item == "" {
			return 0, f.errorf(text, "empty list item (check for a doubled or trailing comma)")
		}
		b, err := f.parseItem(text, item)
		if err != nil {
			return 0, err
		}
		set |= b
	}
	return set, nil
}

func (f *fieldSpec) parseItem(text, item string) (bitset, error) {
	base, stepText, hasStep := strings.Cut(item, "/")
	var lo, hi int
	switch {
	case base == "*":
		lo, hi = f.min, f.max
	case strings.Contains(base, "-"):
		a, b, _ := strings.Cut(base, "-")
		var err error
		if lo, err = f.value(text, a); err != nil {
			return 0, err
		}
		if hi, err = f.value(text, b); err != nil {
			return 0, err
		}
		if lo > hi {
			return 0, f.errorf(text, "range %q runs backwards (%s is after %s); write it as ascending parts, e.g. %q",
				base, a, b, a+"-"+f.render(f.last(), a)+","+f.render(f.min, b)+"-"+b)
		}
	default:
		v, err := f.value(text, base)
		if err != nil {
			return 0, err
		}
		lo, hi = v, v
		if hasStep {
			if !f.openStep {
				// Vixie cron rejects "5/15"; other crons disagree on what it
				// means. Ask for the explicit range instead of guessing.
				return 0, f.errorf(text, "a step needs a range or \"*\" before it; write %q",
					base+"-"+f.render(f.last(), base)+"/"+stepText)
			}
			hi = f.max
		}
	}
	step := 1
	if hasStep {
		if !isDigits(stepText) {
			return 0, f.errorf(text, "step %q is not a whole number", stepText)
		}
		n, err := strconv.Atoi(stepText)
		if err != nil || n < 1 || n > f.max-f.min {
			return 0, f.errorf(text, "step %s is out of range 1-%d", stepText, f.max-f.min)
		}
		step = n
	}
	var set bitset
	for v := lo; v <= hi; v += step {
		set = set.with(f.bit(v))
	}
	return set, nil
}

// value parses a single number or name and checks its range.
func (f *fieldSpec) value(text, s string) (int, error) {
	if s == "" {
		return 0, f.errorf(text, "missing value (a range needs both ends, e.g. \"1-5\")")
	}
	if !isDigits(s) {
		if i := f.nameIndex(s); i >= 0 {
			return f.nameBase + i, nil
		}
		if isQuartzSpecial(s) {
			return 0, f.errorf(text, "%q is not supported: Quartz's L, W and # forms have no cron equivalent; use numbers, names, \"*\", ranges, lists and steps", s)
		}
		if f.names != nil {
			return 0, f.errorf(text, "%q is neither a number nor one of %s", s, strings.Join(f.names, ", "))
		}
		return 0, f.errorf(text, "%q is not a number", s)
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < f.min || v > f.max {
		shown := s
		if err == nil {
			shown = strconv.Itoa(v) // "025" -> "25"
		}
		return 0, f.errorf(text, "value %s is out of range %d-%d%s", shown, f.min, f.max, f.note)
	}
	return v, nil
}

// isQuartzSpecial spots Quartz-only day forms (L, LW, 15W, 5L, 6#3) so the
// error can name them instead of saying "not a number".
func isQuartzSpecial(s string) bool {
	u := strings.ToUpper(s)
	if u == "L" || u == "LW" || strings.HasPrefix(u, "L-") || strings.Contains(u, "#") {
		return true
	}
	n := len(u)
	return n > 1 && isDigits(u[:n-1]) && (u[n-1] == 'L' || u[n-1] == 'W')
}

// last is the largest value in the field's usual numbering, for hints.
func (f *fieldSpec) last() int {
	if f.hintMax != 0 {
		return f.hintMax
	}
	return f.max
}

func (f *fieldSpec) nameIndex(s string) int {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return i
		}
	}
	return -1
}

// render writes a written value back the way the user wrote its neighbour:
// as a name if they used names, else as a number. Only for error hints.
func (f *fieldSpec) render(v int, like string) string {
	if f.names != nil && !isDigits(like) && v-f.nameBase < len(f.names) {
		return f.names[v-f.nameBase]
	}
	return strconv.Itoa(v)
}

func (f *fieldSpec) bit(v int) int {
	if f.toBit == nil {
		return v
	}
	return f.toBit(v)
}

// all is the set a "*" or "?" stands for.
func (f *fieldSpec) all() bitset {
	var set bitset
	for v := f.min; v <= f.max; v++ {
		set = set.with(f.bit(v))
	}
	return set
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// formatNumbers writes a set canonically: "*" when full, "*/k" or "a-b/k"
// for an evenly spaced set of 3 or more, otherwise a list in which runs of
// 3 or more become ranges ("1-5,10,12").
func formatNumbers(b, full bitset) string {
	if b == full {
		return "*"
	}
	v := b.values()
	if len(v) >= 3 {
		k := v[1] - v[0]
		even := k > 1
		for i := 2; i < len(v) && even; i++ {
			even = v[i]-v[i-1] == k
		}
		if even {
			if v[0] == full.first() && v[len(v)-1]+k > full.last() {
				return fmt.Sprintf("*/%d", k)
			}
			return fmt.Sprintf("%d-%d/%d", v[0], v[len(v)-1], k)
		}
	}
	var parts []string
	for _, r := range runs(v) {
		parts = append(parts, runParts(r, strconv.Itoa)...)
	}
	return strings.Join(parts, ",")
}

// weekdayOrder lists weekday bits Monday first. Sunday goes last and is never
// part of a range: Quartz gives SUN the value 1 and Spring gives it 7, so
// "SAT-SUN" (Quartz) or "SUN-TUE" (Spring) would be a backwards range.
var weekdayOrder = []int{1, 2, 3, 4, 5, 6, 0}

// formatWeekdays lists a weekday set with names, Monday first: "MON-FRI",
// "MON", "WED", "FRI", "SAT", "SUN". Names cannot be misread across the 0-6
// (cron), 1-7 Sunday-first (Quartz) and 1-7 Monday-first (Spring)
// numberings. titleCase gives "Mon" for human text.
func formatWeekdays(b bitset, titleCase bool) []string {
	var monSat []int
	for _, d := range weekdayOrder[:6] {
		if b.has(d) {
			monSat = append(monSat, d)
		}
	}
	name := func(d int) string {
		if titleCase {
			return title(weekdayNames[d])
		}
		return weekdayNames[d]
	}
	var parts []string
	for _, r := range runs(monSat) {
		parts = append(parts, runParts(r, name)...)
	}
	if b.has(0) {
		parts = append(parts, name(0))
	}
	return parts
}

func title(s string) string { return s[:1] + strings.ToLower(s[1:]) }

// runs groups sorted values into [first, last] runs of consecutive values.
func runs(v []int) [][2]int {
	var out [][2]int
	for _, x := range v {
		if n := len(out); n > 0 && out[n-1][1] == x-1 {
			out[n-1][1] = x
			continue
		}
		out = append(out, [2]int{x, x})
	}
	return out
}

// runParts writes a run as "a-b" if it has 3 or more values, else as its
// values ("6,7" reads better than "6-7").
func runParts(r [2]int, name func(int) string) []string {
	switch r[1] - r[0] {
	case 0:
		return []string{name(r[0])}
	case 1:
		return []string{name(r[0]), name(r[1])}
	}
	return []string{name(r[0]) + "-" + name(r[1])}
}

// parseFields parses minute, hour, day-of-month, month and day-of-week with
// the given dialect's field specs.
func parseFields(fields []string, specs [5]*fieldSpec) (*Schedule, error) {
	var s Schedule
	targets := [5]*bitset{&s.minute, &s.hour, &s.dom, &s.month, &s.dow}
	for i, spec := range specs {
		set, err := spec.parse(fields[i])
		if err != nil {
			return nil, err
		}
		*targets[i] = set
	}
	return &s, nil
}
