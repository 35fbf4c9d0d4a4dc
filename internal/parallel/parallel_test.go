package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestForEachCallsEveryIndexWithinTheLimit(t *testing.T) {
	var running, peak, calls atomic.Int32
	seen := make([]atomic.Bool, 50)
	err := ForEach(context.Background(), 50, 4, func(_ context.Context, i int) error {
		now := running.Add(1)
		for {
			p := peak.Load()
			if now <= p || peak.CompareAndSwap(p, now) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		seen[i].Store(true)
		calls.Add(1)
		running.Add(-1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 50 {
		t.Errorf("%d calls, want 50", calls.Load())
	}
	for i := range seen {
		if !seen[i].Load() {
			t.Errorf("index %d never called", i)
		}
	}
	if p := peak.Load(); p > 4 {
		t.Errorf("%d calls ran at once, limit 4", p)
	}
}

func TestForEachStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int32
	err := ForEach(context.Background(), 1000, 2, func(ctx context.Context, i int) error {
		calls.Add(1)
		if i == 3 {
			return boom
		}
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if calls.Load() >= 1000 {
		t.Error("calls went on after the error")
	}
}

func TestForEachReportsTheContextEnding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ForEach(ctx, 10, 2, func(context.Context, int) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestForEachWithNothingToDo(t *testing.T) {
	if err := ForEach(context.Background(), 0, 0, func(context.Context, int) error { t.Fatal("called"); return nil }); err != nil {
		t.Fatal(err)
	}
}
