package schedule

import "fmt"

// MaxRunsPerDayAllowed is the platform's limit: Entropy Data runs an
// integration at most twice a day.
const MaxRunsPerDayAllowed = 2

// MaxRunsPerDay returns how many runs the schedule makes on a day it runs
// at all (every run day has the same times), 0 for nil or never.
func (s *Schedule) MaxRunsPerDay() int {
	if s == nil || s.never() {
		return 0
	}
	return s.minute.count() * s.hour.count()
}

// CheckFrequency returns an error, worded for a plan-time diagnostic, if the
// schedule would run more than MaxRunsPerDayAllowed times on some day.
// It is separate from parsing so the provider can still read (and show) a
// too-frequent schedule that was set on the server out of band.
func (s *Schedule) CheckFrequency() error {
	n := s.MaxRunsPerDay()
	if n <= MaxRunsPerDayAllowed {
		return nil
	}
	return fmt.Errorf("this schedule runs up to %d times a day (%s); Entropy Data runs an integration "+
		"at most twice a day: use a preset such as \"twice_daily\" or a cron with at most two run times per day",
		n, s.describeTimes())
}
