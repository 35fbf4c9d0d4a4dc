package schedule

import (
	"fmt"
	"sort"
	"strings"
)

// Manual is the preset for "no schedule": runs start only when triggered.
// FromPreset(Manual) returns a nil *Schedule, sent as a null
// scheduleExpression.
const Manual = "manual"

// presets maps each preset to its cron. All run at 06:00 UTC: early enough
// for European mornings, after most nightly loads. "" marks manual.
var presets = map[string]string{
	Manual:        "",
	"daily":       "0 6 * * *",
	"twice_daily": "0 6,18 * * *",
	"weekdays":    "0 6 * * MON-FRI",
	"weekly":      "0 6 * * MON",
	"monthly":     "0 6 1 * *",
}

// Presets returns the preset names, sorted, for docs and validators.
func Presets() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FromPreset returns the schedule of a preset. "manual" returns (nil, nil).
// Names are exact (lower case), like every other Terraform enum value.
func FromPreset(name string) (*Schedule, error) {
	cron, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("unknown schedule preset %q: use one of %s", name, quoteList(Presets()))
	}
	if cron == "" {
		return nil, nil
	}
	s, err := ParseCron(cron)
	if err != nil {
		panic("schedule: bad preset " + name + ": " + err.Error()) // a bug in the table above
	}
	return s, nil
}

// PresetName returns the preset with exactly the same run times, "manual"
// for a nil schedule, or "" if none matches. The provider can use it to show
// a server-side schedule as the preset the user most likely chose.
func (s *Schedule) PresetName() string {
	if s == nil {
		return Manual
	}
	for _, name := range Presets() {
		if p, _ := FromPreset(name); p != nil && p.Equal(s) {
			return name
		}
	}
	return ""
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = fmt.Sprintf("%q", it)
	}
	return strings.Join(q, ", ")
}
