package catalog

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/parallel"
)

// Reader reads imported Power BI assets. It is safe for concurrent use.
type Reader struct {
	client      *entropydata.Client
	concurrency int
	// prefetched, if set, may hold an asset already fetched (see WithPrefetched).
	prefetched func(id string) *entropydata.Asset
}

// Option configures a Reader.
type Option func(*Reader)

// WithConcurrency bounds how many assets are fetched at once (at least 1).
func WithConcurrency(n int) Option {
	return func(r *Reader) { r.concurrency = max(n, 1) }
}

// WithPrefetched lets lookups by id take the asset from take, when it has
// it, instead of fetching it.
func WithPrefetched(take func(id string) *entropydata.Asset) Option {
	return func(r *Reader) { r.prefetched = take }
}

// New returns a Reader on client.
func New(client *entropydata.Client, opts ...Option) *Reader {
	r := &Reader{client: client, concurrency: DefaultConcurrency}
	for _, o := range opts {
		o(r)
	}
	return r
}

// kind is what the lookups need to know about one kind of asset.
type kind[T any] struct {
	assetType string
	// tables: the kind has tables, which complete adds only when the query
	// asks for them (the list walk then indexes table ids).
	tables  bool
	convert func(*entropydata.Asset) T
	// complete adds what the item's own asset does not hold, using what the
	// list walk found; l is nil for a lookup by id, which walks no list.
	complete func(r *Reader, ctx context.Context, items []T, l *listing) error
	summary  func(*T) Summary
	// dropTables forgets the tables convert found in the asset itself.
	dropTables func(*T)
}

// find returns the items of kind k that match q, sorted by Compare.
func find[T any](ctx context.Context, r *Reader, k kind[T], q Query) ([]T, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	// Candidates the walk can already tell are kept are fetched while it
	// goes on; the rest once it has ended.
	early, stop := r.prefetching(ctx)
	defer stop()
	l, err := r.list(early.ctx, k.assetType, q, k.tables && q.Tables, early)
	if err != nil {
		return nil, err
	}
	assets, err := r.fullCandidates(l, k.assetType, q, early)
	if err != nil {
		return nil, err
	}
	items := make([]T, len(assets))
	for i, a := range assets {
		items[i] = k.convert(a)
		if k.tables && !q.Tables {
			k.dropTables(&items[i])
		}
	}
	if !k.tables || q.Tables {
		if err := k.complete(r, ctx, items, l); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(items, func(a, b T) int { return Compare(k.summary(&a), k.summary(&b)) })
	return items, nil
}

// getOne returns the item of kind k with this asset id: ErrAssetNotFound
// when there is no such asset, a *WrongKindError when it is of another kind.
func getOne[T any](ctx context.Context, r *Reader, k kind[T], assetID string) (*T, error) {
	var a *entropydata.Asset
	var err error
	if r.prefetched != nil {
		a = r.prefetched(assetID)
	}
	if a == nil {
		a, err = r.client.GetAsset(ctx, assetID)
	}
	if entropydata.IsNotFound(err) {
		return nil, fmt.Errorf("%w: %q (%w)", ErrAssetNotFound, assetID, err)
	}
	if err != nil {
		return nil, err
	}
	if a.Info.Type != k.assetType {
		return nil, &WrongKindError{AssetID: assetID, Want: k.assetType, Got: a.Info.Type}
	}
	items := []T{k.convert(a)}
	if err := k.complete(r, ctx, items, nil); err != nil {
		return nil, err
	}
	return &items[0], nil
}

// listing is what one walk of the asset list tells: the candidates of one
// asset type, and the names of workspaces and models, and the table ids of
// each model, which list bodies (id and info only) are enough for.
type listing struct {
	candidates []entropydata.Asset
	// workspaces maps a workspace's lower-case GUID to its list entry.
	workspaces map[string]entropydata.AssetInfo
	// modelNames maps a semantic model's asset id to its name.
	modelNames map[string]string
	// tables maps a semantic model's asset id to its tables' asset ids.
	tables map[string][]string
}

// list walks the asset list once and keeps the assets of assetType whose
// name matches q.Name as candidates ("" keeps none). withTables also
// indexes table ids. Candidates that are kept whatever the rest of the list
// says are started on early, if given.
func (r *Reader) list(ctx context.Context, assetType string, q Query, withTables bool, early *prefetch) (*listing, error) {
	l := &listing{workspaces: map[string]entropydata.AssetInfo{}, modelNames: map[string]string{}, tables: map[string][]string{}}
	err := r.client.WalkAssets(ctx, func(a entropydata.Asset) bool {
		switch a.Info.Type {
		case entropydata.AssetTypePowerBIWorkspace:
			l.workspaces[strings.ToLower(a.Info.SourceID)] = a.Info
		case entropydata.AssetTypePowerBISemanticModel:
			l.modelNames[a.ID] = a.Info.Name
		case entropydata.AssetTypePowerBITable:
			if model := tableModel(a); withTables && model != "" {
				l.tables[model] = append(l.tables[model], a.ID)
			}
		}
		if assetType != "" && a.Info.Type == assetType && q.matchesName(a.Info.Name, a.Info.SourceID) {
			l.candidates = append(l.candidates, a)
			if early != nil && l.surelyKept(q, a) {
				early.start(a.ID)
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if q.Workspace != "" {
		l.candidates = l.keepPossibleWorkspaces(q)
	}
	return l, nil
}

// modelName is the name of the semantic model with this asset id, if the
// walk saw it; a nil listing saw nothing.
func (l *listing) modelName(assetID string) (string, bool) {
	if l == nil {
		return "", false
	}
	name, ok := l.modelNames[assetID]
	return name, ok
}

// surelyKept reports whether keepPossibleWorkspaces will keep candidate a,
// whatever the rest of the list holds: its workspace is unknowable, or it
// has been listed and matches.
func (l *listing) surelyKept(q Query, a entropydata.Asset) bool {
	if q.Workspace == "" {
		return true
	}
	ws := workspaceOfURL(a.Info.SourceURL)
	if ws == "" {
		return true
	}
	info, known := l.workspaces[strings.ToLower(ws)]
	return known && q.matchesWorkspace(info.Name, ws)
}

// keepPossibleWorkspaces drops the candidates that cannot be in a matching
// workspace. The list does not say which workspace an asset is in, but the
// Power BI web URL in info.sourceUrl (https://app.powerbi.com/groups/<id>/...)
// does; a candidate is dropped only when that workspace is in the list too
// and matches neither by name nor by GUID. Anything unsure is kept, and the
// full asset's custom.workspaceName and workspaceId decide.
func (l *listing) keepPossibleWorkspaces(q Query) []entropydata.Asset {
	kept := l.candidates[:0]
	for _, a := range l.candidates {
		ws := workspaceOfURL(a.Info.SourceURL)
		info, known := l.workspaces[strings.ToLower(ws)]
		if ws == "" || !known || q.matchesWorkspace(info.Name, ws) {
			kept = append(kept, a)
		}
	}
	return kept
}

// workspaceOfURL returns the segment after /groups/ of a Power BI web URL,
// the workspace GUID, or "".
func workspaceOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "groups" {
			return segs[i+1]
		}
	}
	return ""
}

// guidLength is the length of a Power BI GUID in its 8-4-4-4-12 form.
const guidLength = 36

// tableModel returns the asset id of the semantic model a table belongs to,
// from its id (powerbi-<model GUID>-<slug>) or else its source id
// (<model GUID>/<table name>); "" when neither tells. The parent
// relationship of the full asset is checked later.
func tableModel(a entropydata.Asset) string {
	prefix := entropydata.PowerBIAssetID("")
	if rest, ok := strings.CutPrefix(a.ID, prefix); ok && len(rest) > guidLength+1 && rest[guidLength] == '-' {
		return prefix + rest[:guidLength]
	}
	if guid, _, ok := strings.Cut(a.Info.SourceID, "/"); ok && len(guid) == guidLength {
		return entropydata.PowerBIAssetID(guid)
	}
	return ""
}

// fullCandidates fetches the candidates of a listing in full (those not
// fetched early yet) and keeps those that are still of the type and match q
// entirely.
func (r *Reader) fullCandidates(l *listing, assetType string, q Query, early *prefetch) ([]*entropydata.Asset, error) {
	ids := make([]string, len(l.candidates))
	for i, a := range l.candidates {
		ids[i] = a.ID
	}
	full, err := early.all(ids)
	if err != nil {
		return nil, err
	}
	var out []*entropydata.Asset
	for _, a := range full {
		if a != nil && a.Info.Type == assetType && q.matchesName(a.Info.Name, a.Info.SourceID) && q.matchesImport(a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// Assets fetches the assets with these ids, at most r.concurrency at a
// time, in the order given. An asset that no longer exists (deleted since
// it was listed or referenced) is nil; any other failure ends the call.
func (r *Reader) Assets(ctx context.Context, ids []string) ([]*entropydata.Asset, error) {
	p, stop := r.prefetching(ctx)
	defer stop()
	return p.all(ids)
}

// prefetch fetches assets in the background, at most the Reader's
// concurrency at a time, each at most once. The first failure cancels the
// fetches not done yet.
type prefetch struct {
	r       *Reader
	ctx     context.Context
	cancel  context.CancelFunc
	slots   chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	fetches map[string]*fetch
	failure error // the first fetch's error, which cancelled the others
}

// fetch is one asset fetch; asset and err are set when done is closed. A
// missing asset (deleted since it was listed) is nil without an error.
type fetch struct {
	done  chan struct{}
	asset *entropydata.Asset
	err   error
}

// prefetching returns a prefetch on ctx and the function that cancels what
// it has not finished and waits for it.
func (r *Reader) prefetching(ctx context.Context) (*prefetch, func()) {
	ctx, cancel := context.WithCancel(ctx)
	p := &prefetch{r: r, ctx: ctx, cancel: cancel, slots: make(chan struct{}, r.concurrency), fetches: map[string]*fetch{}}
	return p, func() {
		cancel()
		p.wg.Wait()
	}
}

// start fetches the asset unless that has begun, and returns its fetch.
func (p *prefetch) start(id string) *fetch {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f, ok := p.fetches[id]; ok {
		return f
	}
	f := &fetch{done: make(chan struct{})}
	p.fetches[id] = f
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(f.done)
		select {
		case p.slots <- struct{}{}:
			f.asset, f.err = p.r.client.GetAsset(p.ctx, id)
			<-p.slots
		case <-p.ctx.Done():
			f.err = p.ctx.Err()
		}
		if entropydata.IsNotFound(f.err) {
			f.asset, f.err = nil, nil
		}
		if f.err != nil {
			p.fail(f.err)
		}
	}()
	return f
}

func (p *prefetch) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failure == nil {
		p.failure = err
		p.cancel()
	}
}

// all fetches the assets with these ids (those not started yet) and returns
// them in the order given, or the first failure.
func (p *prefetch) all(ids []string) ([]*entropydata.Asset, error) {
	fetches := make([]*fetch, len(ids))
	for i, id := range ids {
		fetches[i] = p.start(id)
	}
	out := make([]*entropydata.Asset, len(ids))
	for i, f := range fetches {
		<-f.done
		if f.err != nil {
			p.mu.Lock()
			defer p.mu.Unlock()
			return nil, p.failure
		}
		out[i] = f.asset
	}
	return out, nil
}

// parallel calls fn for 0..n-1 on at most r.concurrency goroutines and
// returns the first error, after which no further calls start.
func (r *Reader) parallel(ctx context.Context, n int, fn func(context.Context, int) error) error {
	return parallel.ForEach(ctx, n, r.concurrency, fn)
}
