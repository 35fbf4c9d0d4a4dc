// Package schedule parses, converts and explains integration schedules.
//
// Users write a preset ("daily") or a standard 5-field cron ("0 6 * * 1-5"),
// always in UTC. Entropy Data stores a Spring/Quartz 6-field cron with a
// leading seconds field ("0 0 6 ? * MON-FRI"). This package converts between
// the two so the provider can send the Quartz form, read the server's value
// back, and compare it with the configuration without false drift.
//
// A nil *Schedule means "manual": no automatic runs (scheduleExpression is
// null on the wire). Every method accepts a nil receiver.
//
// The package uses only the standard library so the provider, the sandbox
// and the docs generator can all share it.
package schedule

import (
	"math/bits"
	"time"
)

// Schedule is a set of UTC run times: every minute whose minute, hour,
// day-of-month, month and weekday are all in the sets below.
//
// Each field is a bitset; bit i set means value i is allowed. Weekday bits
// follow time.Weekday (bit 0 = Sunday), so no dialect's numbering leaks in.
//
// Invariant kept by every constructor: at least one of dom and dow is full.
// Standard cron ORs the two when both are restricted, Quartz cannot express
// that at all, so we refuse such input instead of guessing (see ParseCron).
//
// The zero value has empty sets and never runs; build values with ParseCron,
// ParseQuartz or FromPreset.
type Schedule struct {
	minute bitset // 0-59
	hour   bitset // 0-23
	dom    bitset // 1-31
	month  bitset // 1-12
	dow    bitset // 0-6, 0 = Sunday
}

// Full sets, used to tell "restricted" from "every value".
var (
	allMinutes = span(0, 59)
	allHours   = span(0, 23)
	allDays    = span(1, 31)
	allMonths  = span(1, 12)
	allWeekday = span(0, 6)
)

// Equal reports whether s and o run at exactly the same instants.
//
// It compares run sets, not spelling: "0 6 * * 1-5" equals
// "0 6 * * MON,TUE,WED,THU,FRI", "0 6 1-30 4 *" equals "0 6 * 4 *", and two
// schedules that can never run (Feb 30) are equal to each other. A nil
// schedule (manual) only equals nil: "never scheduled" and "scheduled on an
// impossible date" differ on the wire, so the provider must see the drift.
func (s *Schedule) Equal(o *Schedule) bool {
	if s == nil || o == nil {
		return s == nil && o == nil
	}
	return s.canonical() == o.canonical()
}

// canonical returns a schedule with the same run set whose fields are
// normalized, so that equal run sets compare equal with ==.
func (s *Schedule) canonical() Schedule {
	if s.never() {
		return Schedule{}
	}
	c := *s
	if c.dow != allWeekday {
		// Every month contains every weekday, so nothing to trim.
		return c
	}
	// Day-of-month schedule: drop months in which no listed day exists
	// (31 in April) and days that exist in none of the remaining months.
	var months bitset
	longest := 0
	for m := 1; m <= 12; m++ {
		if c.month.has(m) && c.dom&span(1, maxDaysIn(m)) != 0 {
			months = months.with(m)
			longest = max(longest, maxDaysIn(m))
		}
	}
	c.month = months
	c.dom &= span(1, longest)
	// Days 1-30 in April and June is "every day" in those months.
	if c.dom == span(1, longest) {
		c.dom = allDays
	}
	return c
}

// never reports whether no instant can ever match, e.g. "0 6 30 2 *".
func (s *Schedule) never() bool {
	if s.minute == 0 || s.hour == 0 || s.month == 0 || s.dom == 0 || s.dow == 0 {
		return true
	}
	for m := 1; m <= 12; m++ {
		if s.month.has(m) && s.dom&span(1, maxDaysIn(m)) != 0 {
			return false
		}
	}
	return true
}

// String returns the canonical 5-field cron, or "manual" for nil, so that
// schedules print readably with %v in logs and test failures.
func (s *Schedule) String() string {
	if s == nil {
		return "manual"
	}
	return s.Cron()
}

// matches reports whether t (in UTC, seconds ignored) is a run time.
// Next does not use it; tests use it as an independent oracle.
func (s *Schedule) matches(t time.Time) bool {
	t = t.UTC()
	return s.minute.has(t.Minute()) && s.hour.has(t.Hour()) &&
		s.month.has(int(t.Month())) && s.dom.has(t.Day()) && s.dow.has(int(t.Weekday()))
}

// bitset holds small integers 0-63; bit i set means i is in the set.
type bitset uint64

// span returns the set {lo, lo+1, ..., hi}.
func span(lo, hi int) bitset {
	if hi < lo {
		return 0
	}
	return bitset(1<<(hi+1)-1) &^ bitset(1<<lo-1)
}

func (b bitset) has(i int) bool    { return i >= 0 && i < 64 && b&(1<<i) != 0 }
func (b bitset) with(i int) bitset { return b | 1<<i }
func (b bitset) count() int        { return bits.OnesCount64(uint64(b)) }
func (b bitset) first() int        { return bits.TrailingZeros64(uint64(b)) }
func (b bitset) last() int         { return 63 - bits.LeadingZeros64(uint64(b)) }
func (b bitset) values() []int     { return b.appendValues(nil) }
func (b bitset) appendValues(v []int) []int {
	for x := b; x != 0; x &= x - 1 {
		v = append(v, x.first())
	}
	return v
}

// next returns the smallest member >= i.
func (b bitset) next(i int) (int, bool) {
	if i < 0 {
		i = 0
	}
	if i > 63 {
		return 0, false
	}
	rest := b &^ bitset(1<<i-1)
	if rest == 0 {
		return 0, false
	}
	return rest.first(), true
}

// maxDaysIn is the longest a month can be in any year (February: 29).
func maxDaysIn(m int) int {
	switch m {
	case 2:
		return 29
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysIn is the length of month m in year y (Gregorian).
func daysIn(y, m int) int {
	if m == 2 && !isLeap(y) {
		return 28
	}
	return maxDaysIn(m)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
