package entropyapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// Asset is the API document's Asset schema (assets are marked EXPERIMENTAL there).
type Asset struct {
	ID            string              `json:"id"`
	Info          AssetInfo           `json:"info"`
	Properties    map[string]any      `json:"properties,omitempty"` // deprecated in favour of custom
	Custom        map[string]any      `json:"custom,omitempty"`
	Columns       []AssetColumn       `json:"columns,omitempty"`
	Relationships []AssetRelationship `json:"relationships,omitempty"`
	Tags          []string            `json:"tags,omitempty"`
	// AssignedTags is read-only: a PUT ignores it; the assigned-tags endpoints change it.
	AssignedTags []string          `json:"assignedTags,omitempty"`
	Links        map[string]string `json:"links,omitempty"`
}

// AssetInfo is Asset.info.
type AssetInfo struct {
	Owner         string `json:"owner,omitempty"` // a team id; if set, the team must exist
	Source        string `json:"source,omitempty"`
	SourceID      string `json:"sourceId,omitempty"`
	SourceURL     string `json:"sourceUrl,omitempty"`
	Type          string `json:"type,omitempty"`
	Name          string `json:"name,omitempty"`
	QualifiedName string `json:"qualifiedName,omitempty"` // deprecated
	Version       string `json:"version,omitempty"`
	Status        string `json:"status,omitempty"`
	Description   string `json:"description,omitempty"`
}

// AssetColumn is the API document's AssetColumn schema (name and type are required).
type AssetColumn struct {
	Name          string            `json:"name"`
	Type          string            `json:"type"`
	Description   string            `json:"description,omitempty"`
	Required      bool              `json:"required,omitempty"`
	Unique        bool              `json:"unique,omitempty"`
	PrimaryKey    bool              `json:"primaryKey,omitempty"`
	Properties    []AssetColumn     `json:"properties,omitempty"`
	Items         *AssetColumn      `json:"items,omitempty"`
	QualifiedName string            `json:"qualifiedName,omitempty"` // deprecated
	Tags          []string          `json:"tags,omitempty"`
	Links         map[string]string `json:"links,omitempty"`
	Custom        map[string]any    `json:"custom,omitempty"`
}

// AssetRelationship is one entry of Asset.relationships ("parent" is the documented type; the
// sandbox's Power BI assets also use "uses" from a report to its semantic model).
type AssetRelationship struct {
	RelationshipType string `json:"relationshipType,omitempty"`
	AssetID          string `json:"assetId,omitempty"`
}

// UpsertAsset adds or replaces an asset with the same rules as PUT /api/assets/{id}. It reports
// whether the asset is new and whether anything changed (assignedTags are ignored, as on PUT).
func (s *Server) UpsertAsset(a Asset) (created bool, changed bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.upsertAssetLocked(a.ID, a)
}

// DeleteAsset removes an asset with the same rules as DELETE /api/assets/{id}.
func (s *Server) DeleteAsset(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteAssetLocked(id)
}

// Asset returns the stored asset.
func (s *Server) Asset(id string) (Asset, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.assets[id]
	if !ok {
		return Asset{}, false
	}
	return clone(a.v), true
}

// Assets returns all assets in creation order.
func (s *Server) Assets() []Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(ordered(s.st.assets))
}

func (s *Server) upsertAssetLocked(pathID string, a Asset) (created, changed bool, err error) {
	if strings.TrimSpace(a.ID) == "" {
		return false, false, unprocessable("The asset id must be set and must be same as the path parameter '%s'.", pathID)
	}
	if a.ID != pathID {
		return false, false, unprocessable("The asset id '%s' must be same as the path parameter '%s'.", a.ID, pathID)
	}
	if a.Info.Owner != "" {
		if _, ok := s.st.teams[a.Info.Owner]; !ok {
			return false, false, unprocessable("The owner '%s' of asset '%s' is not an existing team.", a.Info.Owner, a.ID)
		}
	}
	for i, c := range a.Columns {
		if err := checkColumn(fmt.Sprintf("columns[%d]", i), c); err != nil {
			return false, false, err
		}
	}
	// Store the JSON-normalized form (empty lists and maps dropped, numbers as float64), so a Go-level
	// upsert and an HTTP PUT of the same asset compare equal.
	a = clone(a)
	old, exists := s.st.assets[a.ID]
	// assignedTags are read-only on PUT: keep what the assigned-tags endpoints stored.
	a.AssignedTags = nil
	if exists {
		a.AssignedTags = old.v.AssignedTags
		changed = !reflect.DeepEqual(old.v, a)
	}
	put(s.st, s.st.assets, a.ID, a)
	return !exists, !exists || changed, nil
}

func checkColumn(path string, c AssetColumn) error {
	if strings.TrimSpace(c.Name) == "" {
		return unprocessable("%s.name must not be blank.", path)
	}
	if strings.TrimSpace(c.Type) == "" {
		return unprocessable("%s.type must not be blank (column '%s').", path, c.Name)
	}
	for i, p := range c.Properties {
		if err := checkColumn(fmt.Sprintf("%s.properties[%d]", path, i), p); err != nil {
			return err
		}
	}
	if c.Items != nil {
		return checkColumn(path+".items", *c.Items)
	}
	return nil
}

func (s *Server) deleteAssetLocked(id string) error {
	if _, ok := s.st.assets[id]; !ok {
		return notFound("Asset '%s' not found.", id)
	}
	if users := s.productsUsingAsset(id); len(users) > 0 {
		return unprocessable("Asset '%s' cannot be deleted, it is still used in a data product (%s).", id, strings.Join(users, ", "))
	}
	delete(s.st.assets, id)
	return nil
}

// productsUsingAsset lists the data products that reference the asset in assets[] or in an output
// port's assets[].
func (s *Server) productsUsingAsset(assetID string) []string {
	var out []string
	for _, p := range ordered(s.st.products) {
		if slices.Contains(p.view.assetIDs(), assetID) {
			out = append(out, p.view.ID)
		}
	}
	return out
}

// assetListItem is the partial asset the list endpoint returns.
//
// INFERRED: the CLI notes that "assets list omits assignedTags and returns a partial body, so fetch
// each one". The sandbox returns id and info only (no custom, columns, relationships, tags or
// links), so clients that need more must GET each asset, as they must against the real server.
type assetListItem struct {
	ID   string    `json:"id"`
	Info AssetInfo `json:"info"`
}

func (s *Server) listAssets(w http.ResponseWriter, r *http.Request) error {
	p, err := pageNumber(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	all := ordered(s.st.assets)
	items := make([]any, len(all))
	for i, a := range all {
		items[i] = s.withExtras(a.ID, assetListItem{ID: a.ID, Info: a.Info})
	}
	s.mu.Unlock()
	writePage(w, r, items, p, s.pageSize())
	return nil
}

func (s *Server) getAsset(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.Asset(r.PathValue("id"))
	if !ok {
		return notFound("Asset '%s' not found.", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, s.withExtras(a.ID, a))
	return nil
}

// withExtras adds, with Options.AssetExtraProperties, properties the API document's Asset schema
// does not list, as a server or the UI may: timestamps and a lifecycle object at the top level,
// metadata-source fields in info (documented on the ingest how-to page, not in the schema), a
// nested custom value and a UI link, and extras on each column and relationship.
func (s *Server) withExtras(id string, a any) any {
	if !s.opts.AssetExtraProperties {
		return a
	}
	var m map[string]any
	if b, err := json.Marshal(a); err != nil || json.Unmarshal(b, &m) != nil {
		return a
	}
	m["createdAt"], m["updatedAt"] = "2026-01-05T08:00:00Z", "2026-02-01T09:30:00Z"
	m["lifecycle"] = map[string]any{"stage": "production", "steward": map[string]any{"email": "data@example.com"}}
	if info, ok := m["info"].(map[string]any); ok {
		info["metadataSource"], info["metadataSourceId"] = "purview", "pv-"+id
	}
	if _, full := m["columns"]; full || m["custom"] != nil {
		custom, _ := m["custom"].(map[string]any)
		if custom == nil {
			custom = map[string]any{}
		}
		custom["uiNotes"] = map[string]any{"pinned": true, "reviewers": []any{"ana", "ben"}}
		m["custom"] = custom
		links, _ := m["links"].(map[string]any)
		if links == nil {
			links = map[string]any{}
		}
		links["catalog"] = "https://app.example.com/assets/" + id
		m["links"] = links
	}
	var columns func(v any)
	columns = func(v any) {
		for _, c := range asObjects(v) {
			c["physicalType"], c["classification"] = c["type"], "internal"
			columns(c["properties"])
		}
	}
	columns(m["columns"])
	for _, r := range asObjects(m["relationships"]) {
		r["createdBy"] = "ingestion"
	}
	return m
}

// putAsset answers 200 with no body (documented: 200, 422).
func (s *Server) putAsset(w http.ResponseWriter, r *http.Request) error {
	var a Asset
	if err := decodeJSON(w, r, &a); err != nil {
		return err
	}
	s.mu.Lock()
	_, _, err := s.upsertAssetLocked(r.PathValue("id"), a)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteAsset answers 200, 422 when a data product uses the asset, and 404 for an unknown id.
// INFERRED: the document lists only 200 and 422; 404 is what every other resource answers.
func (s *Server) deleteAsset(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	err := s.deleteAssetLocked(r.PathValue("id"))
	s.mu.Unlock()
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) getAssignedTags(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.Asset(r.PathValue("id"))
	if !ok {
		return notFound("Asset '%s' not found.", r.PathValue("id"))
	}
	tags := a.AssignedTags
	if tags == nil {
		tags = []string{}
	}
	writeJSON(w, http.StatusOK, tags)
	return nil
}

// putAssignedTag and deleteAssignedTag answer 200, or 422 "Data asset does not exist" as documented.
func (s *Server) putAssignedTag(w http.ResponseWriter, r *http.Request) error {
	return s.editAssignedTags(w, r, func(tags []string, tag string) []string {
		if slices.Contains(tags, tag) {
			return tags
		}
		return append(tags, tag)
	})
}

func (s *Server) deleteAssignedTag(w http.ResponseWriter, r *http.Request) error {
	return s.editAssignedTags(w, r, func(tags []string, tag string) []string {
		return slices.DeleteFunc(tags, func(t string) bool { return t == tag })
	})
}

func (s *Server) editAssignedTags(w http.ResponseWriter, r *http.Request, edit func([]string, string) []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.assets[r.PathValue("id")]
	if !ok {
		return unprocessable("Data asset does not exist: '%s'.", r.PathValue("id"))
	}
	a.v.AssignedTags = edit(a.v.AssignedTags, r.PathValue("tagId"))
	if len(a.v.AssignedTags) == 0 {
		a.v.AssignedTags = nil
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
