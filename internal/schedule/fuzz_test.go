package schedule

import (
	"testing"
	"time"
)

// Seeds live in testdata/fuzz/<FuzzName>/ too; these cover the grammar.
var cronSeeds = []string{
	"0 6 * * *", "0 6,18 * * *", "0 6 * * 1-5", "0 6 1 * *", "*/15 * * * *",
	"0 6 29 2 *", "0 6 30 2 *", "5-10/5 1,2 ? JAN-MAR SUN", "0 6 * * 0-7",
	"0 0 6 * * ?", "@daily", "0 22-2 * * *", "0 6 1 * 1", "0 6 L * *",
}

func FuzzParseCron(f *testing.F) {
	for _, s := range cronSeeds {
		f.Add(s)
	}
	after := time.Date(2026, 5, 19, 7, 13, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := ParseCron(expr)
		if err != nil {
			if s != nil || err.Error() == "" {
				t.Fatalf("ParseCron(%q) = %v, %q", expr, s, err)
			}
			return
		}
		// Quartz form: parses back to exactly the same sets.
		q := s.Quartz()
		back, err := ParseQuartz(q)
		if err != nil {
			t.Fatalf("ParseCron(%q).Quartz() = %q, which ParseQuartz rejects: %v", expr, q, err)
		}
		if *back != *s || !back.Equal(s) {
			t.Fatalf("%q: Quartz %q reads back as %q", expr, q, back.Cron())
		}
		// Canonical cron: reparses to an equal schedule and prints the same.
		c := s.Cron()
		again, err := ParseCron(c)
		if err != nil {
			t.Fatalf("ParseCron(%q).Cron() = %q, which ParseCron rejects: %v", expr, c, err)
		}
		if !again.Equal(s) || again.Cron() != c {
			t.Fatalf("%q: Cron %q reparses as %q", expr, c, again.Cron())
		}
		// Everything else must not panic and must agree with itself.
		_ = s.Describe()
		_ = s.PresetName()
		runs := s.MaxRunsPerDay()
		if (s.CheckFrequency() == nil) != (runs <= MaxRunsPerDayAllowed) {
			t.Fatalf("%q: CheckFrequency disagrees with MaxRunsPerDay %d", expr, runs)
		}
		next := s.Next(after)
		if next.IsZero() != (runs == 0) {
			t.Fatalf("%q: Next = %v but MaxRunsPerDay = %d", expr, next, runs)
		}
		if !next.IsZero() && (!next.After(after) || !s.matches(next)) {
			t.Fatalf("%q: Next(%v) = %v is not a later run time", expr, after, next)
		}
	})
}

func FuzzParseQuartz(f *testing.F) {
	for _, s := range []string{
		"0 0 6 * * ?", "0 0 6 ? * MON-FRI", "0 0 6 ? * 2-6", "0 0 6 1 * ? *",
		"0 0/30 6 * * ?", "0 0 6 * * *", "0 0 6 1 * MON", "0 0 6 L * ?", "30 0 6 * * ?",
		"0 0 6 ? * 6#3", "0 0 6 ? * 1,7 2027",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := ParseQuartz(expr)
		if err != nil {
			if s != nil || err.Error() == "" {
				t.Fatalf("ParseQuartz(%q) = %v, %q", expr, s, err)
			}
			return
		}
		q := s.Quartz()
		back, err := ParseQuartz(q)
		if err != nil || *back != *s || back.Quartz() != q {
			t.Fatalf("%q: Quartz() %q does not read back: %v", expr, q, err)
		}
		c, err := ParseCron(s.Cron())
		if err != nil || !c.Equal(s) {
			t.Fatalf("%q: Cron() %q does not read back: %v", expr, s.Cron(), err)
		}
		_ = s.Describe()
	})
}
