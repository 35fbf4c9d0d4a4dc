// Package parallel runs a bounded number of calls at once, for the readers
// that fan out over Power BI workspaces or Entropy Data assets.
package parallel

import (
	"context"
	"sync"
)

// ForEach calls fn(ctx, i) for i in [0, n) with at most limit calls at a
// time. The first error cancels the calls still to come and is returned;
// otherwise the error of ctx, if it ended.
func ForEach(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(max(limit, 1), n) {
		wg.Go(func() {
			for i := range next {
				if err := fn(ctx, i); err != nil {
					cancel(err) // only the first cause is kept
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}
