package schedule

import (
	"slices"
	"testing"
)

func TestPresets(t *testing.T) {
	want := []string{"daily", "manual", "monthly", "twice_daily", "weekdays", "weekly"}
	if got := Presets(); !slices.Equal(got, want) {
		t.Errorf("Presets() = %v, want %v", got, want)
	}
}

func TestFromPreset(t *testing.T) {
	tests := []struct{ name, quartz, describe string }{
		{"daily", "0 0 6 * * ?", "every day at 06:00 UTC"},
		{"twice_daily", "0 0 6,18 * * ?", "every day at 06:00 and 18:00 UTC"},
		{"weekdays", "0 0 6 ? * MON-FRI", "Mon-Fri at 06:00 UTC"},
		{"weekly", "0 0 6 ? * MON", "every Monday at 06:00 UTC"},
		{"monthly", "0 0 6 1 * ?", "on the 1st of every month at 06:00 UTC"},
	}
	for _, tt := range tests {
		s, err := FromPreset(tt.name)
		if err != nil {
			t.Fatalf("FromPreset(%q): %v", tt.name, err)
		}
		if got := s.Quartz(); got != tt.quartz {
			t.Errorf("%s: Quartz() = %q, want %q", tt.name, got, tt.quartz)
		}
		if got := s.Describe(); got != tt.describe {
			t.Errorf("%s: Describe() = %q, want %q", tt.name, got, tt.describe)
		}
		if got := s.PresetName(); got != tt.name {
			t.Errorf("%s: PresetName() = %q", tt.name, got)
		}
		if err := s.CheckFrequency(); err != nil {
			t.Errorf("%s: CheckFrequency: %v", tt.name, err)
		}
	}

	s, err := FromPreset("manual")
	if s != nil || err != nil {
		t.Errorf("FromPreset(manual) = %v, %v; want nil, nil", s, err)
	}
	if got := s.PresetName(); got != "manual" {
		t.Errorf("nil.PresetName() = %q", got)
	}
	if got := s.Quartz(); got != "" {
		t.Errorf("nil.Quartz() = %q, want empty (send null)", got)
	}

	_, err = FromPreset("Daily")
	checkMessage(t, errString(err), `unknown schedule preset "Daily": use one of "daily", "manual", "monthly", "twice_daily", "weekdays", "weekly"`)
}

func TestPresetName(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"0 6 * * 1,2,3,4,5", "weekdays"},
		{"0 6 * * mon-fri", "weekdays"},
		{"0 6 1-31 * *", "daily"},
		{"0 18,6 * * *", "twice_daily"},
		{"0 6 * * 0-7", "daily"},
		{"0 7 * * *", ""},
		{"0 6 * * 1-6", ""},
	}
	for _, tt := range tests {
		if got := mustCron(t, tt.expr).PresetName(); got != tt.want {
			t.Errorf("%q.PresetName() = %q, want %q", tt.expr, got, tt.want)
		}
	}
	q, err := ParseQuartz("0 0 6 ? * 2-6") // as the server may echo it
	if err != nil || q.PresetName() != "weekdays" {
		t.Errorf("Quartz weekdays: PresetName() = %q, %v", q.PresetName(), err)
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"0 6 * * 1-5", "0 6 * * MON,TUE,WED,THU,FRI", true},
		{"0 6 * * 0", "0 6 * * 7", true},
		{"0 6 1-31 * *", "0 6 * * 0-6", true},
		{"0 6 1-30 4 *", "0 6 * 4 *", true},              // every day of April
		{"0 6 1-29 2 *", "0 6 * 2 *", true},              // every day of February
		{"0 6 1,31 4 *", "0 6 1 4 *", true},              // April has no 31st
		{"0 6 31 2,3 *", "0 6 31 3 *", true},             // nor has February
		{"0 6 30 2 *", "5 4 31 4,6,9,11 *", true},        // both never run
		{"0 6 1-28 2 *", "0 6 * 2 *", false},             // Feb 29 differs
		{"0 6 * * *", "0 18 * * *", false},               // hour
		{"0 6 1 * *", "0 6 * * MON", false},              // day-of-month vs weekday
		{"0 6 * * *", "0 6 * 1-11 *", false},             // month
		{"0 6 30 2 *", "0 6 29 2 *", false},              // never vs leap years
		{"*/30 6 * * *", "0,30 6 * * *", true},           // step vs list
		{"0 6 * * SAT,SUN", "0 6 * * 6-7", true},         // names vs numbers
		{"0 6 31 1,3,5,7,8,10,12 *", "0 6 31 * *", true}, // months with a 31st
	}
	for _, tt := range tests {
		a, b := mustCron(t, tt.a), mustCron(t, tt.b)
		if got := a.Equal(b); got != tt.want {
			t.Errorf("%q.Equal(%q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := b.Equal(a); got != tt.want {
			t.Errorf("%q.Equal(%q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
	var manual *Schedule
	never := mustCron(t, "0 6 30 2 *")
	if !manual.Equal(nil) || manual.Equal(never) || never.Equal(manual) {
		t.Error("nil must equal only nil")
	}
	spring, _ := ParseQuartz("0 0 6 * * MON")
	if !spring.Equal(mustCron(t, "0 6 * * 1")) {
		t.Error(`Quartz "0 0 6 * * MON" should equal cron "0 6 * * 1"`)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
