package entropyapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Data products are stored exactly as sent (compacted), in the Data Product Specification 0.0.1
// (DPS) or the Open Data Product Standard (ODPS, see odps.go) format, and GET returns them
// unchanged, unknown fields included, like a real server. The sandbox checks each DPS PUT against
// the DPS 0.0.1 JSON schema, so whatever it returns validates against it. With
// Options.DataProductsODPS a DPS body is stored converted to ODPS, so every answer is ODPS.

type storedProduct struct {
	body []byte
	view dpsView
}

// dpsView is the part of a DPS document the server reads: owner, type, ports and asset links.
type dpsView struct {
	ID   string `json:"id"`
	Info struct {
		Title       string `json:"title"`
		Owner       string `json:"owner"`
		Description string `json:"description"`
		Status      string `json:"status"`
		Archetype   string `json:"archetype"`
		Domain      string `json:"domain"`
	} `json:"info"`
	OutputPorts []dpsOutputPort `json:"outputPorts"`
	Assets      []dpsAssetRef   `json:"assets"`
	Tags        []string        `json:"tags"`
}

type dpsOutputPort struct {
	ID             string        `json:"id"`
	AutoApprove    bool          `json:"autoApprove"`
	DataContractID string        `json:"dataContractId"`
	Assets         []dpsAssetRef `json:"assets"`
}

type dpsAssetRef struct {
	AssetID string `json:"assetId"`
}

func (v dpsView) assetIDs() []string {
	var ids []string
	for _, a := range v.Assets {
		ids = append(ids, a.AssetID)
	}
	for _, p := range v.OutputPorts {
		for _, a := range p.Assets {
			ids = append(ids, a.AssetID)
		}
	}
	return ids
}

func (v dpsView) outputPort(id string) (dpsOutputPort, bool) {
	for _, p := range v.OutputPorts {
		if p.ID == id {
			return p, true
		}
	}
	return dpsOutputPort{}, false
}

// PutDataProductJSON adds or replaces a data product (a DPS 0.0.1 JSON document) with the same
// rules as PUT /api/dataproducts/{id}; use it to seed source data products.
func (s *Server) PutDataProductJSON(id string, body []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putProductLocked(id, body)
}

// DataProductJSON returns the stored document.
func (s *Server) DataProductJSON(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.st.products[id]
	if !ok {
		return nil, false
	}
	return bytes.Clone(p.v.body), true
}

// DataProductIDs returns the ids of all data products in creation order.
func (s *Server) DataProductIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, p := range ordered(s.st.products) {
		ids = append(ids, p.view.ID)
	}
	return ids
}

// DeleteDataProduct removes a data product with the same rules as DELETE /api/dataproducts/{id}.
func (s *Server) DeleteDataProduct(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteProductLocked(id)
}

func (s *Server) putProductLocked(pathID string, body []byte) error {
	var doc any
	if err := unmarshalStrict(body, &doc); err != nil {
		return err
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return unprocessable("A data product must be a JSON object.")
	}
	check := checkDPS
	if isODPS(m) {
		check = checkODPS
	}
	if problems := check(m); len(problems) > 0 {
		return unprocessable("Invalid data product: %s.", strings.Join(problems, "; "))
	}
	if s.opts.DataProductsODPS && !isODPS(m) {
		converted, err := json.Marshal(dpsToODPS(m))
		if err != nil {
			return unprocessable("Invalid data product: %v.", err)
		}
		body = converted
	}
	view, err := viewOfDocument(body)
	if err != nil {
		return unprocessable("Invalid data product: %v.", err)
	}
	if view.ID != pathID {
		return unprocessable("The data product id '%s' must be same as the path parameter '%s'.", view.ID, pathID)
	}
	if _, ok := s.st.teams[view.Info.Owner]; !ok {
		return unprocessable("The owner '%s' of data product '%s' is not an existing team.", view.Info.Owner, view.ID)
	}
	if a := view.Info.Archetype; a != "" && !s.typeEnabled(a) {
		return unprocessable("The data product type '%s' (info.archetype) is not an enabled data product type; enabled types: %s.", a, strings.Join(s.enabledTypeIDs(), ", "))
	}
	seen := map[string]bool{}
	for _, p := range view.OutputPorts {
		if seen[p.ID] {
			return unprocessable("Invalid data product: duplicate output port id '%s'.", p.ID)
		}
		seen[p.ID] = true
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		return unprocessable("Invalid data product: %v.", err)
	}
	put(s.st, s.st.products, view.ID, storedProduct{body: compact.Bytes(), view: view})
	return nil
}

func (s *Server) deleteProductLocked(id string) error {
	if _, ok := s.st.products[id]; !ok {
		return notFound("Data product '%s' not found.", id)
	}
	today := s.today()
	for _, sa := range ordered(s.st.access) {
		if a := sa.Access; a.Provider.DataProductID == id && accessActive(a, today) {
			return unprocessable("Data product '%s' cannot be deleted, it is still used in the active access '%s'.", id, a.ID)
		}
	}
	delete(s.st.products, id)
	delete(s.st.scores, id)
	return nil
}

// listDataProducts serves the documented filters archetype, teamId (repeatable), domainId
// (repeatable, matches info.domain), status, tag and q (every space-separated term must occur in
// id, title or description, case-insensitively). `sort` is accepted and ignored: creation order.
//
// The API says this list "may return only top-level properties"; the sandbox drops inputPorts,
// outputPorts and assets from the items, so clients must GET a product to see its ports.
func (s *Server) listDataProducts(w http.ResponseWriter, r *http.Request) error {
	p, err := pageNumber(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	teams, domains := q["teamId"], q["domainId"]
	archetype, status, tag := q.Get("archetype"), q.Get("status"), q.Get("tag")
	terms := strings.Fields(strings.ToLower(q.Get("q")))

	s.mu.Lock()
	all := ordered(s.st.products)
	s.mu.Unlock()
	items := []json.RawMessage{}
	for _, sp := range all {
		v := sp.view
		if (len(teams) > 0 && !slices.Contains(teams, v.Info.Owner)) ||
			(len(domains) > 0 && !slices.Contains(domains, v.Info.Domain)) ||
			(archetype != "" && v.Info.Archetype != archetype) ||
			(status != "" && v.Info.Status != status) ||
			(tag != "" && !slices.Contains(v.Tags, tag)) {
			continue
		}
		text := strings.ToLower(v.ID + " " + v.Info.Title + " " + v.Info.Description)
		if slices.ContainsFunc(terms, func(t string) bool { return !strings.Contains(text, t) }) {
			continue
		}
		items = append(items, topLevelOnly(sp.body))
	}
	writePage(w, r, items, p, s.pageSize())
	return nil
}

func topLevelOnly(body []byte) json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return body
	}
	delete(m, "inputPorts")
	delete(m, "outputPorts")
	delete(m, "assets")
	b, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return b
}

func (s *Server) getDataProduct(w http.ResponseWriter, r *http.Request) error {
	body, ok := s.DataProductJSON(r.PathValue("id"))
	if !ok {
		return notFound("Data product '%s' not found.", r.PathValue("id"))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

// putDataProduct answers 200 with no body (documented: 200, 422). Invalid documents, a body id
// that differs from the path, an unknown owner team and a type that is not an enabled data product
// type are all 422 ("invalid data"); only unparseable JSON is a 400.
func (s *Server) putDataProduct(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	err = s.putProductLocked(r.PathValue("id"), body)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteDataProduct answers 200, 404, or 422 while an active access has the product as provider.
// Accesses survive the product; they then report "unknown" as provider ids, as documented.
func (s *Server) deleteDataProduct(w http.ResponseWriter, r *http.Request) error {
	if err := s.DeleteDataProduct(r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// checkDPS checks a document against the DPS 0.0.1 JSON schema (types and required properties;
// unknown properties are allowed, as the schema allows them) plus the `assets` references the API
// adds. It returns one message per problem.
func checkDPS(m map[string]any) []string {
	c := &schemaCheck{}
	if v, ok := m["dataProductSpecification"]; ok && v != "0.0.1" {
		c.fail("dataProductSpecification", `must be "0.0.1"`)
	}
	c.str(m, "", "id", true)
	if info := c.obj(m, "", "info", true); info != nil {
		c.str(info, "info", "title", true)
		c.str(info, "info", "owner", true)
		for _, k := range []string{"description", "status", "archetype", "maturity"} {
			c.str(info, "info", k, false)
		}
	}
	for i, port := range c.objArray(m, "", "inputPorts") {
		path := fmt.Sprintf("inputPorts[%d]", i)
		for _, k := range []string{"id", "name", "sourceSystemId"} {
			c.str(port, path, k, true)
		}
		for _, k := range []string{"description", "type", "location"} {
			c.str(port, path, k, false)
		}
		c.strMap(port, path, "links")
		c.strMap(port, path, "custom")
		c.strArray(port, path, "tags")
	}
	for i, port := range c.objArray(m, "", "outputPorts") {
		path := fmt.Sprintf("outputPorts[%d]", i)
		c.str(port, path, "id", true)
		c.str(port, path, "name", true)
		for _, k := range []string{"description", "type", "status", "location", "dataContractId"} {
			c.str(port, path, k, false)
		}
		if server := c.obj(port, path, "server", false); server != nil {
			for _, k := range []string{"project", "dataset", "account", "database", "schema", "host", "topic", "location", "delimiter", "format", "table", "view", "share"} {
				c.str(server, path+".server", k, false)
			}
		}
		c.strMap(port, path, "links")
		c.strMap(port, path, "custom")
		c.boolean(port, path, "containsPii")
		c.boolean(port, path, "autoApprove")
		c.strArray(port, path, "tags")
		c.assetRefs(port, path)
	}
	c.strMap(m, "", "links")
	c.strMap(m, "", "custom")
	c.strArray(m, "", "tags")
	c.assetRefs(m, "")
	return c.problems
}

// schemaCheck is a small JSON-schema-like type checker for decoded JSON (map[string]any).
type schemaCheck struct{ problems []string }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (c *schemaCheck) fail(path, msg string) { c.problems = append(c.problems, path+" "+msg) }

func (c *schemaCheck) str(m map[string]any, path, key string, required bool) {
	v, ok := m[key]
	switch {
	case !ok || v == nil:
		if required {
			c.fail(join(path, key), "is required")
		}
	case !isString(v):
		c.fail(join(path, key), "must be a string")
	case required && strings.TrimSpace(fmt.Sprint(v)) == "":
		c.fail(join(path, key), "must not be blank")
	}
}

func (c *schemaCheck) boolean(m map[string]any, path, key string) {
	if v, ok := m[key]; ok {
		if _, isBool := v.(bool); !isBool {
			c.fail(join(path, key), "must be a boolean")
		}
	}
}

func (c *schemaCheck) obj(m map[string]any, path, key string, required bool) map[string]any {
	v, ok := m[key]
	if !ok || v == nil {
		if required {
			c.fail(join(path, key), "is required")
		}
		return nil
	}
	o, isObj := v.(map[string]any)
	if !isObj {
		c.fail(join(path, key), "must be an object")
	}
	return o
}

func (c *schemaCheck) objArray(m map[string]any, path, key string) []map[string]any {
	v, ok := m[key]
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.fail(join(path, key), "must be an array")
		return nil
	}
	var out []map[string]any
	for i, item := range arr {
		o, isObj := item.(map[string]any)
		if !isObj {
			c.fail(fmt.Sprintf("%s[%d]", join(path, key), i), "must be an object")
			continue
		}
		out = append(out, o)
	}
	return out
}

func (c *schemaCheck) strMap(m map[string]any, path, key string) {
	if o := c.obj(m, path, key, false); o != nil {
		for k, v := range o {
			if !isString(v) {
				c.fail(join(join(path, key), k), "must be a string")
			}
		}
	}
}

func (c *schemaCheck) strArray(m map[string]any, path, key string) {
	v, ok := m[key]
	if !ok {
		return
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.fail(join(path, key), "must be an array of strings")
		return
	}
	for i, item := range arr {
		if !isString(item) {
			c.fail(fmt.Sprintf("%s[%d]", join(path, key), i), "must be a string")
		}
	}
}

func (c *schemaCheck) assetRefs(m map[string]any, path string) {
	for i, ref := range c.objArray(m, path, "assets") {
		p := fmt.Sprintf("%s[%d]", join(path, "assets"), i)
		c.str(ref, p, "assetId", true)
		c.strArray(ref, p, "tags")
	}
}

func isString(v any) bool { _, ok := v.(string); return ok }
