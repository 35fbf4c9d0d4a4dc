package entropydata

import (
	"context"
	"fmt"
	"net/http"
)

// Asset is a catalog entry such as a Power BI semantic model or report. The
// list endpoint may return partial assets; GetAsset returns the full one.
// The provider only reads assets: properties not listed here are ignored,
// and link values that are not text are skipped (TextMap).
type Asset struct {
	ID            string              `json:"id"`
	Info          AssetInfo           `json:"info"`
	Custom        map[string]any      `json:"custom,omitempty"` // values are strings or nested JSON
	Columns       []AssetColumn       `json:"columns,omitempty"`
	Relationships []AssetRelationship `json:"relationships,omitempty"`
	Tags          []string            `json:"tags,omitempty"`
	Links         TextMap             `json:"links,omitempty"`
}

// AssetInfo describes an asset. Owner, if set, must be an existing team id.
type AssetInfo struct {
	Owner       string `json:"owner,omitempty"`
	Source      string `json:"source,omitempty"`   // e.g. "powerbi"
	SourceID    string `json:"sourceId,omitempty"` // e.g. the Power BI GUID
	SourceURL   string `json:"sourceUrl,omitempty"`
	Type        string `json:"type,omitempty"` // e.g. "powerbi_semantic_model"
	Name        string `json:"name,omitempty"`
	Version     string `json:"version,omitempty"`
	Status      string `json:"status,omitempty"`
	Description string `json:"description,omitempty"`
}

// AssetColumn is a column of a table-like asset; Properties nest record
// fields, Items describes array elements.
type AssetColumn struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Description string         `json:"description,omitempty"`
	Required    bool           `json:"required,omitempty"`
	Unique      bool           `json:"unique,omitempty"`
	PrimaryKey  bool           `json:"primaryKey,omitempty"`
	Tags        []string       `json:"tags,omitempty"`
	Links       TextMap        `json:"links,omitempty"`
	Custom      map[string]any `json:"custom,omitempty"`
	Properties  []AssetColumn  `json:"properties,omitempty"`
	Items       *AssetColumn   `json:"items,omitempty"`
}

// AssetRelationship points from this asset to another, e.g. "parent".
type AssetRelationship struct {
	RelationshipType string `json:"relationshipType"`
	AssetID          string `json:"assetId"`
}

// ListAssets returns every asset, following all pages.
func (c *Client) ListAssets(ctx context.Context) ([]Asset, error) {
	all := []Asset{}
	err := c.WalkAssets(ctx, func(a Asset) bool {
		all = append(all, a)
		return true
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// WalkAssets calls fn for each asset, page by page and in order, and stops
// fetching as soon as fn returns false: cheaper than ListAssets when
// searching. Up to AssetPagesAhead pages are requested at once; those past
// where the walk stops are cancelled unread.
//
// A client that shares asset reads (Config.ShareAssetReads) walks the list
// once: readers at the same time wait for that walk, later ones replay it.
func (c *Client) WalkAssets(ctx context.Context, fn func(Asset) bool) error {
	if c.shared == nil {
		return c.walkAssets(ctx, fn)
	}
	w, lead := c.shared.joinWalk(ctx)
	switch {
	case w == nil:
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", listAssetsCall().label(), err)
		}
		return c.walkAssets(ctx, fn) // sharing is off
	case !lead:
		for _, a := range w.assets {
			if !fn(a) {
				return nil
			}
		}
		return nil
	}
	var all []Asset
	stopped := false
	err := c.walkAssets(ctx, func(a Asset) bool {
		all = append(all, a)
		stopped = !fn(a)
		return !stopped
	})
	c.shared.finishWalk(w, all, err == nil && !stopped)
	return err
}

func (c *Client) walkAssets(ctx context.Context, fn func(Asset) bool) error {
	return walkPagesAhead(ctx, c, listAssetsCall(), AssetPagesAhead, func(page []Asset) bool {
		for _, a := range page {
			if !fn(a) {
				return false
			}
		}
		return true
	})
}

func listAssetsCall() call {
	return call{op: "list assets", method: http.MethodGet, path: []string{"assets"}}
}

// GetAsset returns the full asset.
func (c *Client) GetAsset(ctx context.Context, id string) (*Asset, error) {
	var out Asset
	if _, err := c.do(ctx, call{op: "get asset", object: id, method: http.MethodGet, path: []string{"assets", id}, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// PutAsset creates or replaces the asset a.ID.
func (c *Client) PutAsset(ctx context.Context, a Asset) error {
	_, err := c.do(ctx, call{op: "create or update asset", object: a.ID, method: http.MethodPut, path: []string{"assets", a.ID}, body: a})
	return err
}

// DeleteAsset deletes the asset. The API answers 422 (ErrValidation) while a
// data product still uses it; a missing asset is ErrNotFound.
func (c *Client) DeleteAsset(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: "delete asset", object: id, method: http.MethodDelete, path: []string{"assets", id}})
	return err
}
