package schedule

import "testing"

func TestDescribe(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"0 6 * * *", "every day at 06:00 UTC"},
		{"0 6,18 * * *", "every day at 06:00 and 18:00 UTC"},
		{"30 6 * * 1-5", "Mon-Fri at 06:30 UTC"},
		{"0 6 * * 1", "every Monday at 06:00 UTC"},
		{"0 6 * * 0", "every Sunday at 06:00 UTC"},
		{"0 6 * * SAT,SUN", "Sat and Sun at 06:00 UTC"},
		{"0 6 * * 1,3,5", "Mon, Wed and Fri at 06:00 UTC"},
		{"0 6 * * 0-3", "Mon-Wed and Sun at 06:00 UTC"},
		{"0 6 1 * *", "on the 1st of every month at 06:00 UTC"},
		{"0 6 1,15 * *", "on the 1st and 15th of every month at 06:00 UTC"},
		{"0 6 2,3,22 * *", "on the 2nd, 3rd and 22nd of every month at 06:00 UTC"},
		{"0 6 11-13 * *", "on the 11th, 12th and 13th of every month at 06:00 UTC"},
		{"0 6 1-5 * *", "on days 1-5 of every month at 06:00 UTC"},
		{"0 6 */2 * *", "on days 1, 3, 5, ..., 31 of every month at 06:00 UTC (skipped in months without a 31st)"},
		{"0 6 1 1,4,7,10 *", "on the 1st of Jan, Apr, Jul and Oct at 06:00 UTC"},
		{"0 6 * 12 *", "every day in Dec at 06:00 UTC"},
		{"0 6 * 6-8 1-5", "Mon-Fri in Jun-Aug at 06:00 UTC"},
		{"0 6 31 * *", "on the 31st of every month at 06:00 UTC (skipped in months without a 31st)"},
		{"0 6 31 1,3 *", "on the 31st of Jan and Mar at 06:00 UTC"},
		{"0 6 29 2 *", "on the 29th of Feb at 06:00 UTC (leap years only)"},
		{"0 6 30 2 *", `never (cron "0 6 30 2 *" matches no date)`},
		{"0 * * * *", "every day, every hour at minute 0 (UTC)"},
		{"*/15 * * * 1-5", "Mon-Fri, every 15 minutes (UTC)"},
		{"0,20,40 6-18 * * *", "every day at minutes 0,20,40 of hours 6-18 UTC"},
	}
	for _, tt := range tests {
		if got := mustCron(t, tt.expr).Describe(); got != tt.want {
			t.Errorf("%q.Describe() =\n  %q, want\n  %q", tt.expr, got, tt.want)
		}
	}
	var manual *Schedule
	if got := manual.Describe(); got != "manual runs only (no schedule)" {
		t.Errorf("nil.Describe() = %q", got)
	}
}
