package powerbiapi

import (
	"net/http"
	"strconv"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// MaxTop is the largest $top GET /groups accepts.
const MaxTop = 5000

// listGroups: GET /groups. Only workspaces in which the caller has a role, in a stable
// order; $filter first, then $skip and $top. @odata.count is the number of workspaces
// matching the filter (not the page size), which is how clients page: ask for $top=1 to
// learn the total, then walk $skip.
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, c caller) {
	q := r.URL.Query()
	top, ok := intParam(w, q.Get("$top"), "$top", 0, MaxTop, -1)
	if !ok {
		return
	}
	skip, ok := intParam(w, q.Get("$skip"), "$skip", 0, int(^uint32(0)>>1), 0)
	if !ok {
		return
	}
	var match predicate
	if f := q.Get("$filter"); f != "" {
		var err error
		if match, err = parseFilter(f); err != nil {
			writeError(w, http.StatusBadRequest, CodeInvalidRequest, "Invalid $filter '%s': %v.", f, err)
			return
		}
	}

	all := []group{}
	for _, ws := range s.tenant.VisibleWorkspaceHeaders(c.clientID) {
		role, _ := ws.RoleOf(c.clientID)
		g := toGroup(ws, role)
		if match == nil || match(filterFields(g)) {
			all = append(all, g)
		}
	}
	page := all[min(skip, len(all)):]
	if top >= 0 && top < len(page) {
		page = page[:top]
	}
	writeJSON(w, http.StatusOK, groupList{Context: odataContext(r, "groups"), Count: len(all), Value: page})
}

// getGroup: GET /groups/{group}.
func (s *Server) getGroup(w http.ResponseWriter, r *http.Request, c caller) {
	ws, role, ok := s.visibleWorkspace(w, r, c)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, groupEntity{Context: odataContext(r, "groups/$entity"), group: toGroup(ws, role)})
}

// visibleWorkspace resolves the {group} path segment for the caller. A workspace the
// caller has no role in is indistinguishable from one that does not exist: 404
// PowerBIEntityNotFound either way.
func (s *Server) visibleWorkspace(w http.ResponseWriter, r *http.Request, c caller) (tenant.Workspace, tenant.Role, bool) {
	id := r.PathValue("group")
	ws, found := s.tenant.Workspace(id)
	role, member := ws.RoleOf(c.clientID)
	if !found || !member {
		writePBIException(w, http.StatusNotFound, CodeEntityNotFound)
		return tenant.Workspace{}, "", false
	}
	return ws, role, true
}

// intParam parses an optional integer query parameter within [lo, hi]; absent => def.
func intParam(w http.ResponseWriter, raw, name string, lo, hi, def int) (int, bool) {
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest,
			"The value '%s' of query parameter %s is invalid: it must be an integer between %d and %d.", raw, name, lo, hi)
		return 0, false
	}
	return n, true
}
