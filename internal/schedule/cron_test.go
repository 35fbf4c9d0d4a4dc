package schedule

import (
	"strings"
	"testing"
)

func TestParseCronValid(t *testing.T) {
	tests := []struct {
		expr, cron, quartz string
	}{
		{"0 6 * * *", "0 6 * * *", "0 0 6 * * ?"},
		{"  0   6 * *\t* ", "0 6 * * *", "0 0 6 * * ?"},
		{"0 6,18 * * *", "0 6,18 * * *", "0 0 6,18 * * ?"},
		{"0 6 * * 1-5", "0 6 * * 1-5", "0 0 6 ? * MON-FRI"},
		{"0 6 * * mon-FRI", "0 6 * * 1-5", "0 0 6 ? * MON-FRI"},
		{"0 6 * * 1,2,3,4,5", "0 6 * * 1-5", "0 0 6 ? * MON-FRI"},
		{"0 6 * * 0", "0 6 * * 0", "0 0 6 ? * SUN"},
		{"0 6 * * 7", "0 6 * * 0", "0 0 6 ? * SUN"},
		{"0 6 * * 5-7", "0 6 * * 0,5,6", "0 0 6 ? * FRI,SAT,SUN"},
		{"0 6 * * SUN-TUE", "0 6 * * 0-2", "0 0 6 ? * MON,TUE,SUN"},
		{"0 6 * * 0-7", "0 6 * * *", "0 0 6 * * ?"},
		{"0 6 * * */2", "0 6 * * */2", "0 0 6 ? * TUE,THU,SAT,SUN"},
		{"0 6 1 * *", "0 6 1 * *", "0 0 6 1 * ?"},
		{"0 6 1-31 * *", "0 6 * * *", "0 0 6 * * ?"},
		{"0 6 ? * MON", "0 6 * * 1", "0 0 6 ? * MON"},
		{"0 6 1 * ?", "0 6 1 * *", "0 0 6 1 * ?"},
		{"0 6 */2 * *", "0 6 */2 * *", "0 0 6 */2 * ?"},
		{"0 6 2-30/2 * *", "0 6 2-30/2 * *", "0 0 6 2-30/2 * ?"},
		{"0 6 1,15 jan-mar,DEC *", "0 6 1,15 1-3,12 *", "0 0 6 1,15 1-3,12 ?"},
		{"0 6 1 */3 *", "0 6 1 */3 *", "0 0 6 1 */3 ?"},
		{"0 6 1 2-12/3 *", "0 6 1 2-11/3 *", "0 0 6 1 2-11/3 ?"},
		{"*/15 * * * *", "*/15 * * * *", "0 */15 * * * ?"},
		{"0,15,30,45 * * * *", "*/15 * * * *", "0 */15 * * * ?"},
		{"0-59 0-23 * * *", "* * * * *", "0 * * * * ?"},
		{"5-10/5 1,2 * * *", "5,10 1,2 * * *", "0 5,10 1,2 * * ?"},
		{"07 06 * * *", "7 6 * * *", "0 7 6 * * ?"},
		{"0 6 29 2 *", "0 6 29 2 *", "0 0 6 29 2 ?"},
		{"0 6 30 2 *", "0 6 30 2 *", "0 0 6 30 2 ?"}, // valid syntax, never runs
		{"0 6 1,*/10 * *", "0 6 */10 * *", "0 0 6 */10 * ?"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := ParseCron(tt.expr)
			if err != nil {
				t.Fatalf("ParseCron(%q): %v", tt.expr, err)
			}
			if got := s.Cron(); got != tt.cron {
				t.Errorf("Cron() = %q, want %q", got, tt.cron)
			}
			if got := s.Quartz(); got != tt.quartz {
				t.Errorf("Quartz() = %q, want %q", got, tt.quartz)
			}
		})
	}
}

func TestParseCronErrors(t *testing.T) {
	tests := []struct {
		expr string
		want string // the whole message, or a prefix when it ends in "..."
	}{
		{"", `empty cron expression: expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 6 * * *"`},
		{"0 6 * *", `expected 5 fields (minute hour day-of-month month day-of-week), got 4`},
		{"0 0 6 * * ?", `expected 5 fields (minute hour day-of-month month day-of-week), got 6: Quartz expressions with seconds are not accepted here, write "0 6 * * *"`},
		{"0 0 6 ? * 2-6 *", `expected 5 fields (minute hour day-of-month month day-of-week), got 7: Quartz expressions with seconds are not accepted here, write "0 6 * * 1-5"`},
		{"30 0 6 * * ?", `expected 5 fields (minute hour day-of-month month day-of-week), got 6: Quartz expressions with seconds are not accepted here; drop the leading seconds field`},
		{"@daily", `cron macros such as "@daily" are not accepted: write the cron "0 0 * * *" (UTC), or use a preset such as "daily" (06:00 UTC)`},
		{"@WEEKLY", `cron macros such as "@WEEKLY" are not accepted: write the cron "0 0 * * 0" (UTC), ...`},
		{"@reboot", `"@reboot" is not supported: use a schedule preset (daily, manual, ...`},
		{"60 6 * * *", `minute field "60": value 60 is out of range 0-59`},
		{"0 25 * * *", `hour field "25": value 25 is out of range 0-23`},
		{"0 6,25 * * *", `hour field "6,25": value 25 is out of range 0-23`},
		{"0 6 0 * *", `day-of-month field "0": value 0 is out of range 1-31`},
		{"0 6 32 * *", `day-of-month field "32": value 32 is out of range 1-31`},
		{"0 6 * 13 *", `month field "13": value 13 is out of range 1-12`},
		{"0 6 * * 8", `day-of-week field "8": value 8 is out of range 0-7`},
		{"0 6 * * 99999999999999999999", `day-of-week field "99999999999999999999": value 99999999999999999999 is out of range 0-7`},
		{"0 6 * * MONDAY", `day-of-week field "MONDAY": "MONDAY" is neither a number nor one of SUN, MON, TUE, WED, THU, FRI, SAT`},
		{"0 6 * JANUARY *", `month field "JANUARY": "JANUARY" is neither a number nor one of JAN, ...`},
		{"0 MON * * *", `hour field "MON": "MON" is not a number`},
		{"0 -1 * * *", `hour field "-1": missing value (a range needs both ends, e.g. "1-5")`},
		{"0 6- * * *", `hour field "6-": missing value (a range needs both ends, e.g. "1-5")`},
		{"0 22-2 * * *", `hour field "22-2": range "22-2" runs backwards (22 is after 2); write it as ascending parts, e.g. "22-23,0-2"`},
		{"0 6 * * FRI-MON", `day-of-week field "FRI-MON": range "FRI-MON" runs backwards (FRI is after MON); write it as ascending parts, e.g. "FRI-SAT,SUN-MON"`},
		{"0 6 * NOV-FEB *", `month field "NOV-FEB": range "NOV-FEB" runs backwards (NOV is after FEB); write it as ascending parts, e.g. "NOV-DEC,JAN-FEB"`},
		{"5/15 * * * *", `minute field "5/15": a step needs a range or "*" before it; write "5-59/15"`},
		{"*/0 * * * *", `minute field "*/0": step 0 is out of range 1-59`},
		{"*/60 * * * *", `minute field "*/60": step 60 is out of range 1-59`},
		{"*/x * * * *", `minute field "*/x": step "x" is not a whole number`},
		{"*/ * * * *", `minute field "*/": step "" is not a whole number`},
		{"1,,2 * * * *", `minute field "1,,2": empty list item (check for a doubled or trailing comma)`},
		{"1, * * * *", `minute field "1,": empty list item (check for a doubled or trailing comma)`},
		{"? 6 * * *", `minute field "?": "?" is only allowed in the day-of-month and day-of-week fields`},
		{"0 6 L * *", `day-of-month field "L": "L" is not supported: Quartz's L, W and # forms have no cron equivalent; ...`},
		{"0 6 15W * *", `day-of-month field "15W": "15W" is not supported: ...`},
		{"0 6 * * 5#3", `day-of-week field "5#3": "5#3" is not supported: ...`},
		{"0 6 * * 5L", `day-of-week field "5L": "5L" is not supported: ...`},
		{"0 6 1 * 1", `day-of-month "1" and day-of-week "1" are both restricted: standard cron then runs on days matching EITHER field, which Entropy Data's Quartz schedule cannot express; set one of them to "*", or use two integrations with one schedule each`},
		// Judged by spelling, as cron does: "1-31" still triggers the OR rule.
		{"0 6 1-31 * MON", `day-of-month "1-31" and day-of-week "MON" are both restricted: ...`},
		{"0 6 */2 * MON", `day-of-month "*/2" and day-of-week "MON" are both restricted: ...`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := ParseCron(tt.expr)
			if err == nil {
				t.Fatalf("ParseCron(%q) = %v, want error", tt.expr, s)
			}
			checkMessage(t, err.Error(), tt.want)
		})
	}
}

// checkMessage compares an error message with want, which may end in "..."
// to compare only a prefix.
func checkMessage(t *testing.T, got, want string) {
	t.Helper()
	if prefix, ok := strings.CutSuffix(want, "..."); ok {
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("error = %q\nwant prefix %q", got, prefix)
		}
		return
	}
	if got != want {
		t.Errorf("error = %q\nwant        %q", got, want)
	}
}

// Cron() output must parse back to the same sets and print the same text.
func TestCronIsStable(t *testing.T) {
	for _, expr := range []string{
		"0 6 * * *", "*/7 */5 */3 */2 *", "1,2,3,5,8,13 1-3,5 1,3,5-9 2-11/3 *",
		"0 6 * * 1,3,5", "0 6 * * 0,6", "59 23 31 12 *", "0 6 * * 2-4,6,0",
	} {
		s := mustCron(t, expr)
		again := mustCron(t, s.Cron())
		if *again != *s || again.Cron() != s.Cron() {
			t.Errorf("%q: Cron() %q reparses to %q", expr, s.Cron(), again.Cron())
		}
	}
}

func mustCron(t testing.TB, expr string) *Schedule {
	t.Helper()
	s, err := ParseCron(expr)
	if err != nil {
		t.Fatalf("ParseCron(%q): %v", expr, err)
	}
	return s
}
