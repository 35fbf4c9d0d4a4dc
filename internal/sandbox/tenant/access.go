package tenant

import "strings"

// Read accessors. Each takes the read lock and returns copies, so a caller may keep and
// modify the result without affecting the tenant or racing with mutations.

// Matches reports whether idOrDomain names this tenant: its GUID or its domain, in any case
// (Entra accepts both in the authority URL).
func (t *Tenant) Matches(idOrDomain string) bool {
	return strings.EqualFold(idOrDomain, t.ID) || (t.Domain != "" && strings.EqualFold(idOrDomain, t.Domain))
}

// CurrentSettings returns the tenant switches as they are now.
func (t *Tenant) CurrentSettings() Settings {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.Settings
}

// App returns the app registration with the given client ID (case-insensitive).
func (t *Tenant) App(clientID string) (App, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i := t.appIndex(clientID); i >= 0 {
		return copyApp(t.Apps[i]), true
	}
	return App{}, false
}

// Workspace returns the workspace with the given ID, including its models and reports.
func (t *Tenant) Workspace(id string) (Workspace, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i := t.workspaceIndex(id); i >= 0 {
		return copyWorkspace(t.Workspaces[i]), true
	}
	return Workspace{}, false
}

// WorkspaceList returns every workspace in fixture order (a stable order the Power BI
// emulator pages through).
func (t *Tenant) WorkspaceList() []Workspace {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]Workspace, len(t.Workspaces))
	for i := range t.Workspaces {
		out[i] = copyWorkspace(t.Workspaces[i])
	}
	return out
}

// VisibleWorkspaces returns, in fixture order, the workspaces in which clientID has a role:
// what GET /groups shows that service principal.
func (t *Tenant) VisibleWorkspaces(clientID string) []Workspace {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []Workspace
	for i := range t.Workspaces {
		if _, ok := roleOf(t.Workspaces[i], clientID); ok {
			out = append(out, copyWorkspace(t.Workspaces[i]))
		}
	}
	return out
}

// VisibleWorkspaceHeaders is VisibleWorkspaces without the contents: Datasets and Reports
// are nil. Listing workspaces of a large generated tenant stays cheap.
func (t *Tenant) VisibleWorkspaceHeaders(clientID string) []Workspace {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []Workspace
	for i := range t.Workspaces {
		if _, ok := roleOf(t.Workspaces[i], clientID); ok {
			w := t.Workspaces[i]
			w.Datasets, w.Reports = nil, nil
			out = append(out, copyWorkspace(w))
		}
	}
	return out
}

// RoleOf returns clientID's role in the workspace; ok is false if it has none or the
// workspace does not exist.
func (t *Tenant) RoleOf(workspaceID, clientID string) (Role, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	i := t.workspaceIndex(workspaceID)
	if i < 0 {
		return "", false
	}
	return roleOf(t.Workspaces[i], clientID)
}

// FindDataset returns a semantic model by ID, wherever it lives, and its workspace ID.
func (t *Tenant) FindDataset(datasetID string) (Dataset, string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if w, d := t.datasetIndex(datasetID); w >= 0 {
		return copyDataset(t.Workspaces[w].Datasets[d]), t.Workspaces[w].ID, true
	}
	return Dataset{}, "", false
}

// FindReport returns a report by ID, wherever it lives, and its workspace ID.
func (t *Tenant) FindReport(reportID string) (Report, string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if w, r := t.reportIndex(reportID); w >= 0 {
		return t.Workspaces[w].Reports[r], t.Workspaces[w].ID, true
	}
	return Report{}, "", false
}

// Stats counts what the tenant holds.
func (t *Tenant) Stats() Stats {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s := Stats{Workspaces: len(t.Workspaces)}
	for _, w := range t.Workspaces {
		s.Datasets += len(w.Datasets)
		s.Reports += len(w.Reports)
		for _, d := range w.Datasets {
			s.Tables += len(d.Tables)
			for _, tb := range d.Tables {
				s.Columns += len(tb.Columns)
			}
		}
	}
	return s
}

// Index helpers; callers hold the lock. IDs compare case-insensitively because clients
// may upper- or lower-case GUIDs.

func (t *Tenant) appIndex(clientID string) int {
	for i := range t.Apps {
		if strings.EqualFold(t.Apps[i].ClientID, clientID) {
			return i
		}
	}
	return -1
}

func (t *Tenant) workspaceIndex(id string) int {
	for i := range t.Workspaces {
		if strings.EqualFold(t.Workspaces[i].ID, id) {
			return i
		}
	}
	return -1
}

func (t *Tenant) datasetIndex(id string) (ws, ds int) {
	for w := range t.Workspaces {
		for d := range t.Workspaces[w].Datasets {
			if strings.EqualFold(t.Workspaces[w].Datasets[d].ID, id) {
				return w, d
			}
		}
	}
	return -1, -1
}

func (t *Tenant) reportIndex(id string) (ws, rep int) {
	for w := range t.Workspaces {
		for r := range t.Workspaces[w].Reports {
			if strings.EqualFold(t.Workspaces[w].Reports[r].ID, id) {
				return w, r
			}
		}
	}
	return -1, -1
}

// RoleOf returns clientID's role in the workspace (client IDs compare case-insensitively).
func (w Workspace) RoleOf(clientID string) (Role, bool) {
	return roleOf(w, clientID)
}

func roleOf(w Workspace, clientID string) (Role, bool) {
	if r, ok := w.Roles[clientID]; ok {
		return r, true
	}
	for k, r := range w.Roles { // fixtures may spell the GUID in another case
		if strings.EqualFold(k, clientID) {
			return r, true
		}
	}
	return "", false
}
