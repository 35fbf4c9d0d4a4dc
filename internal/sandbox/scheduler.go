package sandbox

import (
	"context"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
)

const defaultScheduleTick = 30 * time.Second

// startScheduler triggers the runs of enabled integrations when their Quartz
// schedule says so, like the server's scheduler.
func (sb *Sandbox) startScheduler(tick time.Duration, now func() time.Time) {
	if tick < 0 {
		return
	}
	if tick == 0 {
		tick = defaultScheduleTick
	}
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	sb.stopSched = cancel
	sb.wg.Add(1)
	go func() {
		defer sb.wg.Done()
		last := now()
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				current := now()
				sb.triggerDue(last, current)
				last = current
			}
		}
	}()
}

// triggerDue starts a run for each enabled integration with a run time in
// (from, to]. A run still in progress is left alone, as the server does.
func (sb *Sandbox) triggerDue(from, to time.Time) {
	for _, in := range sb.API.Integrations() {
		expr := in.Configuration.ScheduleExpression
		if !in.Enabled || expr == nil || *expr == "" {
			continue
		}
		sch, err := schedule.ParseQuartz(*expr)
		if err != nil || sch == nil {
			continue
		}
		if next := sch.Next(from); !next.IsZero() && !next.After(to) {
			_, _ = sb.API.TriggerRun(in.ExternalID)
		}
	}
}
