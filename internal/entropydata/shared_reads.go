package entropydata

import (
	"context"
	"net/http"
	"sync"
)

// sharedReads lets the readers of one Terraform command share one walk of the
// asset list: every list data source of a plan needs the whole list, and
// within one command that is the same answer, asked again. (Single assets are
// not kept: holding hundreds of full model assets for a command cost more
// memory and garbage collection than their requests cost time.)
//
// It holds only while nothing this client does can change assets: the first
// write to assets or integrations (which includes starting an ingestion run)
// forgets everything and turns sharing off for the rest of the client's life,
// before the write is sent. So a data source read after an integration's run
// in the same apply sees the run's result, never a copy from before it.
// Assets changed on the server by someone else (a scheduled run) are seen as
// of the first read in the command, as if the command had read everything
// at once. The provider makes a client per command (ConfigureProvider), so
// nothing outlives one command.
type sharedReads struct {
	mu sync.Mutex
	// off is set by the first write and never cleared: a walk that was in
	// flight then is not kept either.
	off  bool
	walk *sharedWalk
}

// sharedWalk is one walk of the asset list, in flight until done is closed.
type sharedWalk struct {
	done   chan struct{}
	assets []Asset // the whole list, when complete
	ok     bool    // the walk ended without error and was not stopped early
}

// stopSharing forgets the shared walk, for good: called before any write
// that may change assets.
func (s *sharedReads) stopSharing() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.off, s.walk = true, nil
}

// changesAssets reports whether a request may change assets: any write to
// assets or integrations (an integration write may start an ingestion run,
// and a run writes assets).
func changesAssets(cl call) bool {
	if cl.method == http.MethodGet || cl.method == http.MethodHead || len(cl.path) == 0 {
		return false
	}
	return cl.path[0] == "assets" || cl.path[0] == "integrations"
}

// joinWalk returns the walk to replay, waiting for one in flight, or, when
// there is none to replay, a new walk that the caller must make and finish
// (lead is then true). It returns nil, false when sharing is off.
func (s *sharedReads) joinWalk(ctx context.Context) (w *sharedWalk, lead bool) {
	for {
		s.mu.Lock()
		if s.off {
			s.mu.Unlock()
			return nil, false
		}
		w = s.walk
		if w == nil {
			w = &sharedWalk{done: make(chan struct{})}
			s.walk = w
			s.mu.Unlock()
			return w, true
		}
		s.mu.Unlock()
		select {
		case <-w.done:
		case <-ctx.Done():
			return nil, false
		}
		if w.ok {
			return w, false
		}
		// The walk failed or stopped early: the next reader leads a new one.
		s.mu.Lock()
		if s.walk == w {
			s.walk = nil
		}
		s.mu.Unlock()
	}
}

// finishWalk ends a walk led by this reader: complete (ok) walks are
// replayed to later readers unless a write happened meanwhile.
func (s *sharedReads) finishWalk(w *sharedWalk, assets []Asset, ok bool) {
	s.mu.Lock()
	w.assets, w.ok = assets, ok && !s.off
	if !w.ok && s.walk == w {
		s.walk = nil
	}
	s.mu.Unlock()
	close(w.done)
}
