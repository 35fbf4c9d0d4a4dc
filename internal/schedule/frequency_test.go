package schedule

import "testing"

func TestMaxRunsPerDay(t *testing.T) {
	tests := []struct {
		expr string
		want int
	}{
		{"0 6 * * *", 1},
		{"0 6,18 * * *", 2},
		{"0,30 6 * * *", 2},
		{"0 6 1 * *", 1},
		{"0 * * * *", 24},
		{"*/15 * * * *", 96},
		{"* * * * *", 1440},
		{"0,30 6,18 * * *", 4},
		{"0 6 30 2 *", 0}, // never runs
	}
	for _, tt := range tests {
		if got := mustCron(t, tt.expr).MaxRunsPerDay(); got != tt.want {
			t.Errorf("%q.MaxRunsPerDay() = %d, want %d", tt.expr, got, tt.want)
		}
	}
	var manual *Schedule
	if manual.MaxRunsPerDay() != 0 || manual.CheckFrequency() != nil {
		t.Error("manual must have no runs and pass the check")
	}
}

func TestCheckFrequency(t *testing.T) {
	const tail = `; Entropy Data runs an integration at most twice a day: use a preset such as "twice_daily" or a cron with at most two run times per day`
	tests := []struct{ expr, want string }{
		{"0 6 * * *", ""},
		{"0 6,18 * * *", ""},
		{"0,30 6 * * 1-5", ""},
		{"0 6 30 2 *", ""},
		{"0 * * * *", "this schedule runs up to 24 times a day (every hour at minute 0)" + tail},
		{"*/15 * * * *", "this schedule runs up to 96 times a day (every 15 minutes)" + tail},
		{"* * * * *", "this schedule runs up to 1440 times a day (every minute)" + tail},
		{"0 6,12,18 * * *", "this schedule runs up to 3 times a day (at 06:00, 12:00 and 18:00)" + tail},
		{"0 */6 * * *", "this schedule runs up to 4 times a day (at 00:00, 06:00, 12:00 and 18:00)" + tail},
		{"0 */3 * * *", "this schedule runs up to 8 times a day (every 3 hours at minute 0)" + tail},
		{"5,17 * * * *", "this schedule runs up to 48 times a day (every hour at minutes 5,17)" + tail},
		{"* 6 * * *", "this schedule runs up to 60 times a day (every minute from 06:00 to 06:59)" + tail},
		{"* 6,18 * * *", "this schedule runs up to 120 times a day (every minute of hours 6,18)" + tail},
		{"0,20,40 6-18 * * *", "this schedule runs up to 39 times a day (at minutes 0,20,40 of hours 6-18)" + tail},
	}
	for _, tt := range tests {
		err := mustCron(t, tt.expr).CheckFrequency()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: unexpected error %v", tt.expr, err)
			}
			continue
		}
		checkMessage(t, errString(err), tt.want)
	}
}
