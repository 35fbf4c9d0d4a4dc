package schedule

import "testing"

func TestParseQuartzValid(t *testing.T) {
	tests := []struct {
		expr, cron string
	}{
		{"0 0 6 * * ?", "0 6 * * *"},
		{"0 0 6 ? * *", "0 6 * * *"},
		{"0 0 6 * * *", "0 6 * * *"}, // Spring style: "*" in both day fields
		{"0 0 6 ? * ?", "0 6 * * *"}, // lenient: Quartz would refuse, meaning is clear
		{"0 0 6 * * ? *", "0 6 * * *"},
		{"00 00 06 * * ?", "0 6 * * *"},
		{"0 0 6,18 * * ?", "0 6,18 * * *"},
		{"0 0 6 ? * MON-FRI", "0 6 * * 1-5"},
		{"0 0 6 ? * mon-fri", "0 6 * * 1-5"},
		{"0 0 6 ? * 2-6", "0 6 * * 1-5"}, // Quartz numbers: 1=SUN, 2=MON
		{"0 0 6 ? * 1", "0 6 * * 0"},
		{"0 0 6 ? * 7", "0 6 * * 6"},
		{"0 0 6 ? * 1,7", "0 6 * * 0,6"},
		{"0 0 6 ? * 1-7", "0 6 * * *"},
		{"0 0 6 * * MON", "0 6 * * 1"}, // Spring: "*" AND Monday = Monday
		{"0 0 6 1-31 * MON", "0 6 * * 1"},
		{"0 0 6 1 * ?", "0 6 1 * *"},
		{"0 0 6 1 * *", "0 6 1 * *"},
		{"0 0/30 6 * * ?", "0,30 6 * * *"}, // Quartz "a/n": from a to the end
		{"0 5/20 * * * ?", "5-45/20 * * * *"},
		{"0 */15 * * * ?", "*/15 * * * *"},
		{"0 0 6 1/2 * ?", "0 6 */2 * *"},
		{"0 0 6 29 FEB ?", "0 6 29 2 *"},
		{"0 0 6 1 JAN/3 ?", "0 6 1 */3 *"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := ParseQuartz(tt.expr)
			if err != nil {
				t.Fatalf("ParseQuartz(%q): %v", tt.expr, err)
			}
			if got := s.Cron(); got != tt.cron {
				t.Errorf("Cron() = %q, want %q", got, tt.cron)
			}
		})
	}
}

func TestParseQuartzErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"", `Quartz expression "": expected 6 fields (second minute hour day-of-month month day-of-week) and an optional year, got 0`},
		{"0 6 * * *", `Quartz expression "0 6 * * *": expected 6 fields (second minute hour day-of-month month day-of-week) and an optional year, got 5`},
		{"0 0 6 * * ? 2027", `year field "2027": only "*" is supported (a schedule that stops after some year cannot be written in cron)`},
		{"30 0 6 * * ?", `second field "30": must be 0 (schedules run on whole minutes)`},
		{"0,30 0 6 * * ?", `second field "0,30": must be 0 (schedules run on whole minutes)`},
		{"* 0 6 * * ?", `second field "*": must be 0 (schedules run on whole minutes)`},
		{"60 0 6 * * ?", `second field "60": value 60 is out of range 0-59`},
		{"0 0 6 ? * 0", `day-of-week field "0": value 0 is out of range 1-7 (Quartz numbers weekdays 1=SUN to 7=SAT)`},
		{"0 0 6 ? * 8", `day-of-week field "8": value 8 is out of range 1-7 (Quartz numbers weekdays 1=SUN to 7=SAT)`},
		{"0 0 6 L * ?", `day-of-month field "L": "L" is not supported: ...`},
		{"0 0 6 LW * ?", `day-of-month field "LW": "LW" is not supported: ...`},
		{"0 0 6 L-3 * ?", `day-of-month field "L-3": "L" is not supported: ...`},
		{"0 0 6 ? * 6#3", `day-of-week field "6#3": "6#3" is not supported: ...`},
		{"0 0 6 ? * FRI#3", `day-of-week field "FRI#3": "FRI#3" is not supported: ...`},
		{"0 0 6 1 * MON", `day-of-month "1" and day-of-week "MON" are both restricted: Quartz requires "?" in one of them, and a schedule with both cannot be written as a 5-field cron with the same meaning`},
		{"0 ? 6 * * ?", `minute field "?": "?" is only allowed in the day-of-month and day-of-week fields`},
		{"0 0 25 * * ?", `hour field "25": value 25 is out of range 0-23`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := ParseQuartz(tt.expr)
			if err == nil {
				t.Fatalf("ParseQuartz(%q) = %v, want error", tt.expr, s)
			}
			checkMessage(t, err.Error(), tt.want)
		})
	}
}

// Every schedule survives cron -> Quartz -> schedule unchanged (the exact
// sets, not just Equal), and Quartz output is a fixed point.
func TestQuartzRoundTrip(t *testing.T) {
	for _, expr := range []string{
		"0 6 * * *", "0 6,18 * * *", "0 6 * * 1-5", "0 6 * * 0", "0 6 * * 6,0",
		"0 6 1 * *", "0 6 29 2 *", "0 6 31 * *", "*/5 */2 */3 */4 *",
		"59 23 * 12 SUN-SAT", "0 0 * * 2,4", "0 6 2-30/2 1,3,5-7 *",
	} {
		s := mustCron(t, expr)
		q := s.Quartz()
		back, err := ParseQuartz(q)
		if err != nil {
			t.Errorf("%q: ParseQuartz(%q): %v", expr, q, err)
			continue
		}
		if *back != *s || back.Quartz() != q {
			t.Errorf("%q: Quartz %q reads back as %q (%q)", expr, q, back.Cron(), back.Quartz())
		}
	}
}

// The Quartz form names weekdays, so 1-7 (Quartz, 1=SUN) and 0-6 (cron)
// numbering can never be mixed up on the wire.
func TestQuartzUsesWeekdayNames(t *testing.T) {
	for d := 0; d <= 7; d++ {
		s := mustCron(t, "0 6 * * "+string(rune('0'+d)))
		want := "0 0 6 ? * " + weekdayNames[d%7]
		if got := s.Quartz(); got != want {
			t.Errorf("weekday %d: Quartz() = %q, want %q", d, got, want)
		}
	}
}
