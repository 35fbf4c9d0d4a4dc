package schedule

import (
	"fmt"
	"strings"
)

// Field specs for the Quartz/Spring form the API stores. Quartz numbers
// weekdays 1-7 from Sunday; "a/n" means "from a to the end, every n".
var (
	quartzSecond = fieldSpec{name: "second", min: 0, max: 59}
	quartzMinute = fieldSpec{name: "minute", min: 0, max: 59, openStep: true}
	quartzHour   = fieldSpec{name: "hour", min: 0, max: 23, openStep: true}
	quartzDom    = fieldSpec{name: "day-of-month", min: 1, max: 31, openStep: true, question: true}
	quartzMonth  = fieldSpec{name: "month", min: 1, max: 12, names: monthNames, nameBase: 1, openStep: true}
	quartzDow    = fieldSpec{name: "day-of-week", min: 1, max: 7, names: weekdayNames, nameBase: 1,
		toBit: func(v int) int { return v - 1 }, openStep: true, question: true,
		note: " (Quartz numbers weekdays 1=SUN to 7=SAT)"}
)

// Quartz returns the 6-field Quartz form sent as scheduleExpression:
// seconds 0, then minute, hour, day-of-month, month, day-of-week, with "?"
// in exactly one of the two day fields (Quartz rejects anything else) and
// weekdays as names so no reader can confuse Quartz's 1=SUN with Spring's
// 1=MON. Examples: "0 0 6 * * ?", "0 0 6 ? * MON-FRI", "0 0 6 1 * ?".
// The output is deterministic. A nil schedule returns "" (send null).
func (s *Schedule) Quartz() string {
	if s == nil {
		return ""
	}
	dom, dow := s.dayFields("?")
	return strings.Join([]string{
		"0",
		formatNumbers(s.minute, allMinutes),
		formatNumbers(s.hour, allHours),
		dom,
		formatNumbers(s.month, allMonths),
		dow,
	}, " ")
}

// ParseQuartz reads a scheduleExpression as the server may return it: 6
// fields, or 7 with a year that must be "*"; "?" or "*" in the day fields;
// names or Quartz numbers (1=SUN ... 7=SAT) for weekdays; "a/n" steps. The
// seconds field must be 0, since a schedule here has minute resolution.
//
// It is lenient where Spring and Quartz differ harmlessly: Spring writes "*"
// in both day fields and ANDs them, so a full day field counts as
// unrestricted. It refuses what a Schedule cannot represent: both day
// fields restricted, and Quartz's L, W and # forms.
//
// Numeric weekdays are ambiguous on the wire: Quartz counts 1=SUN..7=SAT,
// Spring's CronExpression follows cron (1=MON, 0 or 7=SUN). We read them the
// Quartz way, as the API notes say, and never write numbers ourselves (see
// Quartz), so only expressions set outside this provider are affected.
//
// Callers should treat an error as "the server holds a schedule this
// provider cannot model" and show the raw expression to the user.
func ParseQuartz(expr string) (*Schedule, error) {
	fields := strings.Fields(expr)
	if len(fields) != 6 && len(fields) != 7 {
		return nil, fmt.Errorf("Quartz expression %q: expected 6 fields (second minute hour day-of-month month day-of-week) and an optional year, got %d", expr, len(fields))
	}
	if len(fields) == 7 && fields[6] != "*" {
		return nil, fmt.Errorf("year field %q: only \"*\" is supported (a schedule that stops after some year cannot be written in cron)", fields[6])
	}
	sec, err := quartzSecond.parse(fields[0])
	if err != nil {
		return nil, err
	}
	if sec != 1 { // the set {0}
		return nil, fmt.Errorf("second field %q: must be 0 (schedules run on whole minutes)", fields[0])
	}
	s, err := parseFields(fields[1:6], [5]*fieldSpec{&quartzMinute, &quartzHour, &quartzDom, &quartzMonth, &quartzDow})
	if err != nil {
		return nil, err
	}
	if s.dom != allDays && s.dow != allWeekday {
		return nil, fmt.Errorf("day-of-month %q and day-of-week %q are both restricted: Quartz requires \"?\" in one of them, "+
			"and a schedule with both cannot be written as a 5-field cron with the same meaning", fields[3], fields[5])
	}
	return s, nil
}
