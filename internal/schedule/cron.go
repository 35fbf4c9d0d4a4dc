package schedule

import (
	"fmt"
	"strings"
)

// Field specs for standard 5-field cron (Vixie/POSIX numbering).
var (
	cronMinute = fieldSpec{name: "minute", min: 0, max: 59}
	cronHour   = fieldSpec{name: "hour", min: 0, max: 23}
	cronDom    = fieldSpec{name: "day-of-month", min: 1, max: 31, question: true}
	cronMonth  = fieldSpec{name: "month", min: 1, max: 12, names: monthNames, nameBase: 1}
	// Weekdays 0-7 with both 0 and 7 meaning Sunday, as in every common cron.
	cronDow = fieldSpec{name: "day-of-week", min: 0, max: 7, hintMax: 6, names: weekdayNames,
		toBit: func(v int) int { return v % 7 }, question: true}
)

const cronFieldNames = "minute hour day-of-month month day-of-week"

// macroHints maps the cron macros we refuse to their literal meaning. We do
// not accept them because "@daily" is midnight while the preset "daily" is
// 06:00; having both spell "daily" would invite mistakes.
var macroHints = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// ParseCron parses a standard 5-field cron expression
// "minute hour day-of-month month day-of-week", always read in UTC.
//
// Accepted: "*", numbers, ranges "a-b", lists "a,b", steps "*/n" and
// "a-b/n", month names JAN-DEC and weekday names SUN-SAT (any case),
// weekday 0 or 7 for Sunday, and "?" as a synonym of "*" in the two day
// fields. Errors name the field and the reason, ready to show under the
// Terraform attribute.
//
// If both day-of-month and day-of-week are restricted (anything but "*" or
// "?"), standard cron runs on days matching EITHER field. Quartz cannot
// express that, so it is an error rather than a silent change of meaning.
//
// ParseCron does not check the frequency limit; call CheckFrequency.
func ParseCron(expr string) (*Schedule, error) {
	fields := strings.Fields(expr)
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty cron expression: expected 5 fields (%s), e.g. \"0 6 * * *\"", cronFieldNames)
	}
	if strings.HasPrefix(fields[0], "@") {
		return nil, macroError(fields[0])
	}
	if len(fields) != 5 {
		return nil, fieldCountError(expr, len(fields))
	}
	s, err := parseFields(fields, [5]*fieldSpec{&cronMinute, &cronHour, &cronDom, &cronMonth, &cronDow})
	if err != nil {
		return nil, err
	}
	// The OR rule depends on how the fields are written, not on their sets:
	// "1-31" still counts as restricted in cron. Judge by spelling here.
	if !isWildcard(fields[2]) && !isWildcard(fields[4]) {
		return nil, fmt.Errorf("day-of-month %q and day-of-week %q are both restricted: standard cron then runs "+
			"on days matching EITHER field, which Entropy Data's Quartz schedule cannot express; set one of them "+
			"to \"*\", or use two integrations with one schedule each", fields[2], fields[4])
	}
	return s, nil
}

func isWildcard(field string) bool { return field == "*" || field == "?" }

func macroError(macro string) error {
	cron, ok := macroHints[strings.ToLower(macro)]
	if !ok {
		return fmt.Errorf("%q is not supported: use a schedule preset (%s) or a 5-field cron (%s)",
			macro, strings.Join(Presets(), ", "), cronFieldNames)
	}
	return fmt.Errorf("cron macros such as %q are not accepted: write the cron %q (UTC), "+
		"or use a preset such as \"daily\" (06:00 UTC)", macro, cron)
}

// fieldCountError explains a wrong field count. Six or seven fields are
// almost always a Quartz/Spring expression copied from elsewhere (the API
// speaks Quartz), so when that parses we print the 5-field equivalent.
func fieldCountError(expr string, n int) error {
	msg := fmt.Sprintf("expected 5 fields (%s), got %d", cronFieldNames, n)
	if n != 6 && n != 7 {
		return fmt.Errorf("%s", msg)
	}
	if s, err := ParseQuartz(expr); err == nil {
		return fmt.Errorf("%s: Quartz expressions with seconds are not accepted here, write %q", msg, s.Cron())
	}
	return fmt.Errorf("%s: Quartz expressions with seconds are not accepted here; drop the leading seconds field", msg)
}

// Cron returns the canonical 5-field cron text: "*" for full fields,
// numbers for minutes, hours, days and months, names for weekdays
// ("0 6 * * 1-5"). Equal schedules written differently may still print
// differently (compare with Equal), but parsing the output of Cron and
// printing it again gives the same text.
func (s *Schedule) Cron() string {
	if s == nil {
		return ""
	}
	dom, dow := s.dayFields("*")
	if s.dom == allDays && s.dow != allWeekday {
		// Plain cron numbers weekdays 0-6 from Sunday without ambiguity,
		// and numbers are how most people write it ("1-5").
		dow = formatNumbers(s.dow, allWeekday)
	}
	return strings.Join([]string{
		formatNumbers(s.minute, allMinutes),
		formatNumbers(s.hour, allHours),
		dom,
		formatNumbers(s.month, allMonths),
		dow,
	}, " ")
}

// dayFields formats day-of-month and day-of-week, writing unrestricted as
// the given wildcard ("*" for cron, "?" for Quartz).
func (s *Schedule) dayFields(wildcard string) (dom, dow string) {
	dom, dow = "*", wildcard
	if s.dom != allDays {
		dom, dow = formatNumbers(s.dom, allDays), wildcard
	} else if s.dow != allWeekday {
		dom, dow = wildcard, strings.Join(formatWeekdays(s.dow, false), ",")
	}
	return dom, dow
}
