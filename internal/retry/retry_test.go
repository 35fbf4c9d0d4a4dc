package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("short sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
}

func TestSleepHonoursACancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"0": 0, " 5 ": 5 * time.Second, now.Add(3 * time.Second).Format(http.TimeFormat): 3 * time.Second,
	} {
		if got, ok := ParseRetryAfter(in, now); !ok || got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-1", "soon", "1.5"} {
		if _, ok := ParseRetryAfter(in, now); ok {
			t.Errorf("ParseRetryAfter(%q) accepted", in)
		}
	}
}

func TestParseRetryAfterAsPowerBISendsIt(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"5":                             5 * time.Second,
		" 12 ":                          12 * time.Second,
		"0":                             0,
		"-3":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 00:00:09 GMT": 9 * time.Second,
		"Wed, 31 Dec 2025 23:59:00 GMT": 0,
	}
	for in, want := range cases {
		if got, _ := ParseRetryAfter(in, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestBackoffIsEqualJitterInsideTheCeiling(t *testing.T) {
	const lo, hi = 100 * time.Millisecond, time.Second
	largest := func(n int64) int64 { return n - 1 }
	smallest := func(int64) int64 { return 0 }
	for n, want := range []struct{ lo, hi time.Duration }{
		{100 * time.Millisecond, 100 * time.Millisecond}, // the ceiling is lo: no room to jitter
		{100 * time.Millisecond, 200 * time.Millisecond}, // half the ceiling would be below lo
		{200 * time.Millisecond, 400 * time.Millisecond},
		{400 * time.Millisecond, 800 * time.Millisecond},
		{500 * time.Millisecond, time.Second}, // capped at hi
		{500 * time.Millisecond, time.Second},
	} {
		if got := Backoff(lo, hi, n, smallest); got != want.lo {
			t.Errorf("retry %d: smallest wait %v, want %v", n, got, want.lo)
		}
		if got := Backoff(lo, hi, n, largest); got != want.hi {
			t.Errorf("retry %d: largest wait %v, want %v", n, got, want.hi)
		}
	}
	if got := Backoff(lo, hi, 1000, rand.Int64N); got < hi/2 || got > hi {
		t.Errorf("retry 1000: wait %v outside [%v, %v]", got, hi/2, hi)
	}
	if got := Backoff(time.Second, 100*time.Millisecond, 3, largest); got != time.Second {
		t.Errorf("hi below lo: wait %v, want lo", got)
	}
}
