package schedule

import "time"

// searchDays bounds every forward search. Any date a schedule can match
// recurs within 8 years (Feb 29: 2096 -> 2104, as 2100 is not a leap year),
// so 9 years of days always reach the next run if there is one.
const searchDays = 9 * 366

// Next returns the first run time strictly after the given instant, in UTC.
// It returns the zero time for nil (manual) and for schedules that can never
// run, such as "0 6 30 2 *".
func (s *Schedule) Next(after time.Time) time.Time {
	if s == nil || s.never() {
		return time.Time{}
	}
	// Runs are on whole minutes: start at the next whole minute.
	t := after.UTC().Truncate(time.Minute).Add(time.Minute)
	d := dayOf(t)
	h, m := t.Hour(), t.Minute()
	for range searchDays {
		if s.runsOn(d) {
			if hh, mm, ok := s.timeAtOrAfter(h, m); ok {
				return time.Date(d.y, time.Month(d.m), d.d, hh, mm, 0, 0, time.UTC)
			}
		}
		d = d.next()
		h, m = 0, 0
	}
	return time.Time{} // unreachable unless never() is wrong; never loop forever
}

// NextRuns returns up to n run times strictly after the given instant,
// fewer (or none) if the schedule never runs.
func (s *Schedule) NextRuns(after time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		next := s.Next(after)
		if next.IsZero() {
			break
		}
		out = append(out, next)
		after = next
	}
	return out
}

// LongestGap returns the longest time between two consecutive runs, so a
// caller can warn about schedules that rarely run ("0 6 29 2 *": 8 years,
// across 2100). It returns 0 for nil and for schedules that never run.
//
// It needs no start time: the Gregorian calendar, weekdays included, repeats
// every 400 years, so one scan of a full cycle sees every gap there is.
// (For "how long until the next run", use Next.)
func (s *Schedule) LongestGap() time.Duration {
	if s == nil || s.never() {
		return 0
	}
	// Times of day, in minutes after midnight. Every run day has all of them.
	var tod []int
	for _, h := range s.hour.values() {
		for _, m := range s.minute.values() {
			tod = append(tod, h*60+m)
		}
	}
	longest := 0 // minutes
	for i := 1; i < len(tod); i++ {
		longest = max(longest, tod[i]-tod[i-1])
	}
	// Gaps between run days: last run of one day to the first of the next.
	const cycleDays = 146097 // days in 400 Gregorian years
	first, last := tod[0], tod[len(tod)-1]
	firstDay, prevDay := -1, -1
	d := day{y: 2000, m: 1, d: 1, wd: int(time.Saturday)}
	for i := range cycleDays {
		if s.runsOn(d) {
			if prevDay >= 0 {
				longest = max(longest, (i-prevDay)*1440+first-last)
			} else {
				firstDay = i
			}
			prevDay = i
		}
		d = d.next()
	}
	// Wrap around into the next cycle.
	longest = max(longest, (firstDay+cycleDays-prevDay)*1440+first-last)
	return time.Duration(longest) * time.Minute
}

// runsOn reports whether the schedule has runs on day d.
func (s *Schedule) runsOn(d day) bool {
	return s.month.has(d.m) && s.dom.has(d.d) && s.dow.has(d.wd)
}

// timeAtOrAfter returns the first run time of a day at or after h:m.
func (s *Schedule) timeAtOrAfter(h, m int) (int, int, bool) {
	for hh, ok := s.hour.next(h); ok; hh, ok = s.hour.next(hh + 1) {
		from := 0
		if hh == h {
			from = m
		}
		if mm, ok := s.minute.next(from); ok {
			return hh, mm, true
		}
	}
	return 0, 0, false
}

// day is a civil date with its weekday, stepped without time.Time so that
// scanning 400 years stays cheap.
type day struct{ y, m, d, wd int }

func dayOf(t time.Time) day {
	return day{y: t.Year(), m: int(t.Month()), d: t.Day(), wd: int(t.Weekday())}
}

func (d day) next() day {
	d.wd = (d.wd + 1) % 7
	d.d++
	if d.d > daysIn(d.y, d.m) {
		d.d = 1
		d.m++
		if d.m > 12 {
			d.m = 1
			d.y++
		}
	}
	return d
}
