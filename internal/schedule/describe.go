package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// Describe returns a short English description for plan output, e.g.
// "every day at 06:00 UTC", "Mon-Fri at 06:00 UTC",
// "every day at 06:00 and 18:00 UTC", "on the 1st of every month at 06:00 UTC".
// Unusual time patterns fall back to the cron fields, which are exact.
func (s *Schedule) Describe() string {
	if s == nil {
		return "manual runs only (no schedule)"
	}
	if s.never() {
		return fmt.Sprintf("never (cron %q matches no date)", s.Cron())
	}
	text := s.describeDays()
	if times := s.describeTimes(); strings.HasPrefix(times, "at ") {
		text += " " + times + " UTC"
	} else {
		text += ", " + times + " (UTC)"
	}
	return text + s.shortMonthNote()
}

// shortMonthNote warns about the classic trap: day 29-31 does not exist in
// every month, and cron silently skips those months.
func (s *Schedule) shortMonthNote() string {
	if s.dom == allDays || s.dom.last() <= 28 {
		return ""
	}
	if s.month == 1<<2 && s.dom.first() >= 29 { // only Feb 29 can match
		return " (leap years only)"
	}
	for _, m := range s.month.values() {
		if daysIn(2001, m) < s.dom.last() { // 2001: a common year
			return fmt.Sprintf(" (skipped in months without a %s)", ordinal(s.dom.last()))
		}
	}
	return ""
}

// describeTimes says when in a day the schedule runs, without the days:
// "at 06:00 and 18:00", "every hour at minute 0", "every 15 minutes".
func (s *Schedule) describeTimes() string {
	mins, hours := s.minute.values(), s.hour.values()
	switch {
	case len(mins)*len(hours) <= 4:
		var times []string
		for _, h := range hours {
			for _, m := range mins {
				times = append(times, fmt.Sprintf("%02d:%02d", h, m))
			}
		}
		return "at " + joinAnd(times)
	case s.minute == allMinutes && s.hour == allHours:
		return "every minute"
	case s.hour == allHours && len(mins) == 1:
		return fmt.Sprintf("every hour at minute %d", mins[0])
	case s.hour == allHours && 60%len(mins) == 0 && s.minute == steps(0, 59, 60/len(mins)):
		return fmt.Sprintf("every %d minutes", 60/len(mins))
	case len(mins) == 1 && 24%len(hours) == 0 && s.hour == steps(0, 23, 24/len(hours)):
		return fmt.Sprintf("every %d hours at minute %d", 24/len(hours), mins[0])
	case s.hour == allHours:
		return "every hour at minutes " + listNumbers(s.minute)
	case s.minute == allMinutes && len(runs(hours)) == 1:
		return fmt.Sprintf("every minute from %02d:00 to %02d:59", hours[0], hours[len(hours)-1])
	case s.minute == allMinutes:
		return "every minute of hours " + listNumbers(s.hour)
	}
	// Exact, if not pretty: the cron fields in words.
	return fmt.Sprintf("at minutes %s of hours %s", listNumbers(s.minute), listNumbers(s.hour))
}

// describeDays says on which days the schedule runs: "every day",
// "Mon-Fri", "every Monday", "on the 1st of every month", "every day in Dec".
func (s *Schedule) describeDays() string {
	months := ""
	if s.month != allMonths {
		months = joinAnd(monthParts(s.month))
	}
	in := func(text string) string {
		if months == "" {
			return text
		}
		return text + " in " + months
	}
	switch {
	case s.dow != allWeekday:
		if s.dow.count() == 1 {
			return in("every " + weekdayLong[s.dow.first()])
		}
		return in(joinAnd(formatWeekdays(s.dow, true)))
	case s.dom != allDays:
		days := "days " + listNumbers(s.dom) // "days 1-5,10", "days 1, 3, 5, ..., 31"
		if s.dom.count() <= 3 {
			var ords []string
			for _, d := range s.dom.values() {
				ords = append(ords, ordinal(d))
			}
			days = "the " + joinAnd(ords) // "the 1st and 15th"
		}
		if months == "" {
			return "on " + days + " of every month"
		}
		return "on " + days + " of " + months
	}
	return in("every day")
}

var weekdayLong = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

func monthParts(b bitset) []string {
	var parts []string
	for _, r := range runs(b.values()) {
		parts = append(parts, runParts(r, func(m int) string { return title(monthNames[m-1]) })...)
	}
	return parts
}

// listNumbers writes a set for people: like formatNumbers, but an evenly
// spaced set is shown as "1, 3, 5, ..., 31" rather than "*/2".
func listNumbers(b bitset) string {
	text := formatNumbers(b, 0) // an empty "full" set: never "*" or "*/k"
	if !strings.Contains(text, "/") {
		return text
	}
	v := b.values()
	if len(v) > 4 {
		return fmt.Sprintf("%d, %d, %d, ..., %d", v[0], v[1], v[2], v[len(v)-1])
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}

// steps returns {lo, lo+k, ...} up to hi.
func steps(lo, hi, k int) bitset {
	var b bitset
	for v := lo; v <= hi; v += k {
		b = b.with(v)
	}
	return b
}

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
