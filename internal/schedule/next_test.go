package schedule

import (
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestNext(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name  string
		expr  string
		after time.Time
		want  time.Time // zero: never
	}{
		{"later same day", "0 6 * * *", utc(2026, 1, 1, 5, 59), utc(2026, 1, 1, 6, 0)},
		{"strictly after", "0 6 * * *", utc(2026, 1, 1, 6, 0), utc(2026, 1, 2, 6, 0)},
		{"seconds round up", "0 6 * * *", utc(2026, 1, 1, 5, 59).Add(59 * time.Second), utc(2026, 1, 1, 6, 0)},
		{"a nanosecond past", "0 6 * * *", utc(2026, 1, 1, 6, 0).Add(1), utc(2026, 1, 2, 6, 0)},
		{"input zone ignored", "0 6 * * *", time.Date(2026, 1, 1, 6, 30, 0, 0, cet), utc(2026, 1, 1, 6, 0)},
		{"month end", "0 6 * * *", utc(2026, 1, 31, 7, 0), utc(2026, 2, 1, 6, 0)},
		{"year end", "0 6 1 * *", utc(2026, 12, 1, 6, 0), utc(2027, 1, 1, 6, 0)},
		{"last minute of year", "59 23 31 12 *", utc(2026, 12, 31, 23, 58), utc(2026, 12, 31, 23, 59)},
		{"last minute, next year", "59 23 31 12 *", utc(2026, 12, 31, 23, 59), utc(2027, 12, 31, 23, 59)},
		{"second run of day", "0 6,18 * * *", utc(2026, 3, 1, 6, 0), utc(2026, 3, 1, 18, 0)},
		{"twice daily wraps", "0 6,18 * * *", utc(2026, 3, 1, 18, 0), utc(2026, 3, 2, 6, 0)},
		{"weekdays skip weekend", "0 6 * * 1-5", utc(2026, 1, 2, 7, 0), utc(2026, 1, 5, 6, 0)}, // Fri -> Mon
		{"weekly", "0 6 * * MON", utc(2026, 1, 5, 6, 0), utc(2026, 1, 12, 6, 0)},
		{"sunday as 7", "0 6 * * 7", utc(2026, 1, 1, 0, 0), utc(2026, 1, 4, 6, 0)},
		{"day 31 skips short months", "0 6 31 * *", utc(2026, 1, 31, 7, 0), utc(2026, 3, 31, 6, 0)},
		{"day 30 skips February", "0 6 30 * *", utc(2026, 1, 30, 7, 0), utc(2026, 3, 30, 6, 0)},
		{"Feb 28 common year", "0 6 28-31 2 *", utc(2026, 2, 28, 6, 0), utc(2027, 2, 28, 6, 0)},
		{"Feb 29 leap year", "0 6 28-31 2 *", utc(2028, 2, 28, 6, 0), utc(2028, 2, 29, 6, 0)},
		{"Feb 29 next leap year", "0 6 29 2 *", utc(2026, 1, 1, 0, 0), utc(2028, 2, 29, 6, 0)},
		{"Feb 29 skips 2100", "0 6 29 2 *", utc(2096, 2, 29, 6, 0), utc(2104, 2, 29, 6, 0)},
		{"Feb 29 in 2000", "0 6 29 2 *", utc(1999, 6, 1, 0, 0), utc(2000, 2, 29, 6, 0)},
		{"Mondays in February", "0 6 * 2 MON", utc(2026, 2, 23, 6, 0), utc(2027, 2, 1, 6, 0)},
		{"quarterly", "0 6 1 */3 *", utc(2026, 4, 1, 6, 0), utc(2026, 7, 1, 6, 0)},
		{"impossible Feb 30", "0 6 30 2 *", utc(2026, 1, 1, 0, 0), time.Time{}},
		{"impossible Apr 31", "0 6 31 4,6,9,11 *", utc(2026, 1, 1, 0, 0), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustCron(t, tt.expr).Next(tt.after)
			if !got.Equal(tt.want) || got.Location() != time.UTC && !got.IsZero() {
				t.Errorf("%q.Next(%v) = %v, want %v", tt.expr, tt.after, got, tt.want)
			}
		})
	}
}

func TestNextNilAndZero(t *testing.T) {
	var manual *Schedule
	if got := manual.Next(utc(2026, 1, 1, 0, 0)); !got.IsZero() {
		t.Errorf("nil.Next = %v, want zero", got)
	}
	if got := (&Schedule{}).NextRuns(utc(2026, 1, 1, 0, 0), 3); len(got) != 0 {
		t.Errorf("Schedule{}.NextRuns = %v, want none", got)
	}
}

func TestNextRuns(t *testing.T) {
	s := mustCron(t, "0 6,18 * * *")
	got := s.NextRuns(utc(2028, 2, 28, 12, 0), 4)
	want := []time.Time{utc(2028, 2, 28, 18, 0), utc(2028, 2, 29, 6, 0), utc(2028, 2, 29, 18, 0), utc(2028, 3, 1, 6, 0)}
	if len(got) != len(want) {
		t.Fatalf("NextRuns = %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("NextRuns[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if got := mustCron(t, "0 6 30 2 *").NextRuns(utc(2026, 1, 1, 0, 0), 3); len(got) != 0 {
		t.Errorf("impossible schedule NextRuns = %v, want none", got)
	}
	if got := s.NextRuns(utc(2026, 1, 1, 0, 0), 0); len(got) != 0 {
		t.Errorf("NextRuns(n=0) = %v", got)
	}
}

// TestNextAgainstBruteForce checks Next against a minute-by-minute scan that
// uses only matches(), across a leap February, month ends and a year end.
func TestNextAgainstBruteForce(t *testing.T) {
	start := utc(2027, 12, 1, 0, 0)
	end := utc(2028, 3, 15, 0, 0)
	for _, expr := range []string{
		"0 6 * * *", "0 6,18 * * *", "0 6 * * 1-5", "0 6 * * 1", "0 6 1 * *",
		"30 23 28-31 * *", "15 0 29 2 *", "0 12 * * SAT,SUN", "0 6 */2 * *",
		"5 4 1,15,31 1,2,12 *", "0 6 * 12,2 5", "59 23 31 12 *", "*/20 8-9 * * *",
	} {
		s := mustCron(t, expr)
		want := start
		for want.Before(end) {
			// Scan for the next matching minute.
			for want = want.Add(time.Minute); !s.matches(want) && want.Before(end); want = want.Add(time.Minute) {
			}
			if !want.Before(end) {
				break
			}
			if got := s.Next(want.Add(-time.Minute)); !got.Equal(want) {
				t.Fatalf("%q: Next(%v) = %v, brute force says %v", expr, want.Add(-time.Minute), got, want)
			}
		}
	}
}

func TestLongestGap(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		expr string
		want time.Duration
	}{
		{"0 6 * * *", day},
		{"0 6,18 * * *", 12 * time.Hour},
		{"0 6,7 * * *", 23 * time.Hour},
		{"0 6 * * 1-5", 3 * day},
		{"0 6 * * MON", 7 * day},
		{"0 6 1 * *", 31 * day},
		{"0 6 31 * *", 61 * day},
		{"0 6 1 1 *", 366 * day},
		{"0 6 29 2 *", utc(2104, 2, 29, 6, 0).Sub(utc(2096, 2, 29, 6, 0))},
		{"0 6 30 2 *", 0},
	}
	for _, tt := range tests {
		if got := mustCron(t, tt.expr).LongestGap(); got != tt.want {
			t.Errorf("%q.LongestGap() = %v, want %v", tt.expr, got, tt.want)
		}
	}
	var manual *Schedule
	if got := manual.LongestGap(); got != 0 {
		t.Errorf("nil.LongestGap() = %v, want 0", got)
	}
}
