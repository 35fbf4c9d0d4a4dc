// Package tenant is the emulated Microsoft tenant the sandbox serves: its Entra ID app
// registrations, its Fabric tenant settings and its Power BI workspaces, semantic models,
// tables, columns and reports. It is plain data plus a lock; the Entra ID and Power BI
// emulators read it, tests mutate it while those emulators serve requests.
package tenant

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
)

// ErrNotFound is wrapped by mutations that name something the tenant does not hold.
var ErrNotFound = errors.New("not found")

// ErrExists is wrapped by mutations that would duplicate an ID.
var ErrExists = errors.New("already exists")

// Tenant is the emulated tenant.
//
// The exported fields are the model. Set or read them directly only while the Tenant is
// private to you (building a fixture, inspecting a Clone). Once it is shared with running
// emulators, use the methods: they lock, and the read methods return copies. ID, Domain
// and DisplayName never change after construction and are safe to read directly.
type Tenant struct {
	ID          string // directory (tenant) ID, a GUID
	DisplayName string // shown in some Entra error messages ("...in the directory 'X'")
	Domain      string // initial domain, e.g. contoso.onmicrosoft.com; accepted in place of ID
	Settings    Settings
	Apps        []App
	Workspaces  []Workspace

	mu sync.RWMutex
}

// file is the JSON shape of a Tenant (the fixture file format).
type file struct {
	ID          string      `json:"id"`
	DisplayName string      `json:"displayName"`
	Domain      string      `json:"domain"`
	Settings    Settings    `json:"settings"`
	Apps        []App       `json:"apps"`
	Workspaces  []Workspace `json:"workspaces"`
}

// MarshalJSON writes the tenant in the fixture file format.
func (t *Tenant) MarshalJSON() ([]byte, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return json.Marshal(file{t.ID, t.DisplayName, t.Domain, t.Settings, t.Apps, t.Workspaces})
}

// UnmarshalJSON replaces the tenant's contents with a fixture file. It does not validate;
// Load does.
func (t *Tenant) UnmarshalJSON(b []byte) error {
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ID, t.DisplayName, t.Domain = f.ID, f.DisplayName, f.Domain
	t.Settings, t.Apps, t.Workspaces = f.Settings, f.Apps, f.Workspaces
	for i := range t.Workspaces {
		normalizeWorkspace(&t.Workspaces[i])
	}
	return nil
}

// Load reads and validates a fixture file, e.g. one a user points the standalone sandbox at.
func Load(r io.Reader) (*Tenant, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields() // a typo in a hand-written fixture should not pass silently
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("tenant fixture: %w", err)
	}
	t := &Tenant{ID: f.ID, DisplayName: f.DisplayName, Domain: f.Domain, Settings: f.Settings, Apps: f.Apps, Workspaces: f.Workspaces}
	for i := range t.Workspaces {
		normalizeWorkspace(&t.Workspaces[i])
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("tenant fixture: %w", err)
	}
	return t, nil
}

// LoadFile is Load for a path.
func LoadFile(path string) (*Tenant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f)
}

// normalizeWorkspace fills the defaults a fixture may leave out.
func normalizeWorkspace(w *Workspace) {
	if w.Type == "" {
		w.Type = WorkspaceTypeWorkspace
	}
	if w.Roles == nil {
		w.Roles = map[string]Role{}
	}
}

// Clone returns a deep copy that shares nothing with t.
func (t *Tenant) Clone() *Tenant {
	t.mu.RLock()
	defer t.mu.RUnlock()
	c := &Tenant{ID: t.ID, DisplayName: t.DisplayName, Domain: t.Domain, Settings: t.Settings}
	c.Apps = make([]App, len(t.Apps))
	for i, a := range t.Apps {
		c.Apps[i] = copyApp(a)
	}
	c.Workspaces = make([]Workspace, len(t.Workspaces))
	for i := range t.Workspaces {
		c.Workspaces[i] = copyWorkspace(t.Workspaces[i])
	}
	return c
}

func copyApp(a App) App {
	a.Secrets = slices.Clone(a.Secrets)
	return a
}

func copyWorkspace(w Workspace) Workspace {
	roles := make(map[string]Role, len(w.Roles))
	for k, v := range w.Roles {
		roles[k] = v
	}
	w.Roles = roles
	ds := make([]Dataset, len(w.Datasets))
	for i, d := range w.Datasets {
		ds[i] = copyDataset(d)
	}
	w.Datasets = ds
	w.Reports = slices.Clone(w.Reports)
	return w
}

func copyDataset(d Dataset) Dataset {
	tables := make([]Table, len(d.Tables))
	for i, tb := range d.Tables {
		tables[i] = copyTable(tb)
	}
	d.Tables = tables
	return d
}

func copyTable(tb Table) Table {
	tb.Columns = slices.Clone(tb.Columns)
	tb.Measures = slices.Clone(tb.Measures)
	return tb
}
