package entropyapi

import (
	"sort"
)

// state is everything the server stores. It is guarded by Server.mu; Snapshot and Restore
// serialize it. Every record carries a creation sequence number, because the API sorts its lists by
// creation, and an update keeps the original position.
type state struct {
	seq          int64
	teams        map[string]*rec[Team]
	assets       map[string]*rec[Asset]
	products     map[string]*rec[storedProduct]
	access       map[string]*rec[storedAccess]
	integrations map[string]*rec[IntegrationRecord]
	runs         map[string]*rec[IngestionRun]
	types        []DataProductType
	testResults  map[string]*rec[TestResult]
	scores       map[string]DataProductScore // SetDataProductScore overrides
}

type rec[T any] struct {
	v   T
	seq int64
}

func newState() *state {
	return &state{
		teams:        map[string]*rec[Team]{},
		assets:       map[string]*rec[Asset]{},
		products:     map[string]*rec[storedProduct]{},
		access:       map[string]*rec[storedAccess]{},
		integrations: map[string]*rec[IntegrationRecord]{},
		runs:         map[string]*rec[IngestionRun]{},
		types:        builtInDataProductTypes(),
		testResults:  map[string]*rec[TestResult]{},
		scores:       map[string]DataProductScore{},
	}
}

// put stores v under id, keeping the creation position of an existing record. It reports whether
// the record is new.
func put[T any](st *state, m map[string]*rec[T], id string, v T) bool {
	if old, ok := m[id]; ok {
		old.v = v
		return false
	}
	st.seq++
	m[id] = &rec[T]{v: v, seq: st.seq}
	return true
}

// ordered returns the records sorted by creation, oldest first.
func ordered[T any](m map[string]*rec[T]) []T {
	recs := make([]*rec[T], 0, len(m))
	for _, r := range m {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].seq < recs[j].seq })
	out := make([]T, len(recs))
	for i, r := range recs {
		out[i] = r.v
	}
	return out
}
