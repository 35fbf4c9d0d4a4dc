package tenant

import (
	"fmt"
	"slices"
	"strings"
)

// Mutations, for tests that change the tenant while the emulators serve it ("a column is
// added", "the principal loses its role", "an admin turns the scanner off"). Each takes
// the write lock; each returns an error wrapping ErrNotFound or ErrExists rather than
// silently doing nothing, so a typo in a test shows up.

// SetSettings replaces the tenant switches.
func (t *Tenant) SetSettings(s Settings) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Settings = s
}

// UpdateSettings applies fn to the tenant switches atomically.
func (t *Tenant) UpdateSettings(fn func(*Settings)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fn(&t.Settings)
}

// AddApp registers an app.
func (t *Tenant) AddApp(a App) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.appIndex(a.ClientID) >= 0 {
		return fmt.Errorf("app %s: %w", a.ClientID, ErrExists)
	}
	t.Apps = append(t.Apps, copyApp(a))
	return nil
}

// RotateSecret replaces all of an app's secrets with one new secret: the old ones stop
// working at once.
func (t *Tenant) RotateSecret(clientID, secret string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.appIndex(clientID)
	if i < 0 {
		return fmt.Errorf("app %s: %w", clientID, ErrNotFound)
	}
	t.Apps[i].Secrets = []string{secret}
	return nil
}

// AddSecret gives an app one more valid secret, as Entra ID allows during a
// rotation; the existing ones keep working.
func (t *Tenant) AddSecret(clientID, secret string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.appIndex(clientID)
	if i < 0 {
		return fmt.Errorf("app %s: %w", clientID, ErrNotFound)
	}
	t.Apps[i].Secrets = append(t.Apps[i].Secrets, secret)
	return nil
}

// SetAppDisabled enables or disables an app's sign-in.
func (t *Tenant) SetAppDisabled(clientID string, disabled bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.appIndex(clientID)
	if i < 0 {
		return fmt.Errorf("app %s: %w", clientID, ErrNotFound)
	}
	t.Apps[i].Disabled = disabled
	return nil
}

// AddWorkspace appends a workspace (it sorts last in listings).
func (t *Tenant) AddWorkspace(w Workspace) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.workspaceIndex(w.ID) >= 0 {
		return fmt.Errorf("workspace %s: %w", w.ID, ErrExists)
	}
	w = copyWorkspace(w)
	normalizeWorkspace(&w)
	t.Workspaces = append(t.Workspaces, w)
	return nil
}

// RemoveWorkspace deletes a workspace with everything in it.
func (t *Tenant) RemoveWorkspace(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.workspaceIndex(id)
	if i < 0 {
		return fmt.Errorf("workspace %s: %w", id, ErrNotFound)
	}
	t.Workspaces = slices.Delete(t.Workspaces, i, i+1)
	return nil
}

// RenameWorkspace changes a workspace's name.
func (t *Tenant) RenameWorkspace(id, name string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.workspaceIndex(id)
	if i < 0 {
		return fmt.Errorf("workspace %s: %w", id, ErrNotFound)
	}
	t.Workspaces[i].Name = name
	return nil
}

// SetRole gives clientID a role in a workspace; the empty role removes its access.
func (t *Tenant) SetRole(workspaceID, clientID string, role Role) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.workspaceIndex(workspaceID)
	if i < 0 {
		return fmt.Errorf("workspace %s: %w", workspaceID, ErrNotFound)
	}
	if role != "" && !role.Valid() {
		return fmt.Errorf("role %q is not Admin, Member, Contributor or Viewer", role)
	}
	w := &t.Workspaces[i]
	for k := range w.Roles { // drop any differently-cased key for the same client
		if strings.EqualFold(k, clientID) {
			delete(w.Roles, k)
		}
	}
	if role != "" {
		if w.Roles == nil {
			w.Roles = map[string]Role{}
		}
		w.Roles[clientID] = role
	}
	return nil
}

// AddDataset adds a semantic model to a workspace.
func (t *Tenant) AddDataset(workspaceID string, d Dataset) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.workspaceIndex(workspaceID)
	if i < 0 {
		return fmt.Errorf("workspace %s: %w", workspaceID, ErrNotFound)
	}
	if w, _ := t.datasetIndex(d.ID); w >= 0 {
		return fmt.Errorf("dataset %s: %w", d.ID, ErrExists)
	}
	t.Workspaces[i].Datasets = append(t.Workspaces[i].Datasets, copyDataset(d))
	return nil
}

// RemoveDataset deletes a semantic model. Reports bound to it keep their dataset ID, as
// they do in Power BI until someone rebinds them.
func (t *Tenant) RemoveDataset(datasetID string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, d := t.datasetIndex(datasetID)
	if w < 0 {
		return fmt.Errorf("dataset %s: %w", datasetID, ErrNotFound)
	}
	t.Workspaces[w].Datasets = slices.Delete(t.Workspaces[w].Datasets, d, d+1)
	return nil
}

// RenameDataset changes a semantic model's name.
func (t *Tenant) RenameDataset(datasetID, name string) error {
	return t.withDataset(datasetID, func(d *Dataset) error {
		d.Name = name
		return nil
	})
}

// AddTable adds a table to a semantic model.
func (t *Tenant) AddTable(datasetID string, tb Table) error {
	return t.withDataset(datasetID, func(d *Dataset) error {
		if tableIndex(d, tb.Name) >= 0 {
			return fmt.Errorf("table %q in dataset %s: %w", tb.Name, datasetID, ErrExists)
		}
		d.Tables = append(d.Tables, copyTable(tb))
		return nil
	})
}

// DropTable removes a table from a semantic model.
func (t *Tenant) DropTable(datasetID, table string) error {
	return t.withDataset(datasetID, func(d *Dataset) error {
		i := tableIndex(d, table)
		if i < 0 {
			return fmt.Errorf("table %q in dataset %s: %w", table, datasetID, ErrNotFound)
		}
		d.Tables = slices.Delete(d.Tables, i, i+1)
		return nil
	})
}

// AddColumn appends columns to a table of a semantic model.
func (t *Tenant) AddColumn(datasetID, table string, cols ...Column) error {
	return t.withTable(datasetID, table, func(tb *Table) error {
		for _, c := range cols {
			if columnIndex(tb, c.Name) >= 0 {
				return fmt.Errorf("column %q in table %q: %w", c.Name, table, ErrExists)
			}
			tb.Columns = append(tb.Columns, c)
		}
		return nil
	})
}

// DropColumn removes columns from a table of a semantic model.
func (t *Tenant) DropColumn(datasetID, table string, names ...string) error {
	return t.withTable(datasetID, table, func(tb *Table) error {
		for _, n := range names {
			i := columnIndex(tb, n)
			if i < 0 {
				return fmt.Errorf("column %q in table %q: %w", n, table, ErrNotFound)
			}
			tb.Columns = slices.Delete(tb.Columns, i, i+1)
		}
		return nil
	})
}

// AddReport adds a report to a workspace.
func (t *Tenant) AddReport(workspaceID string, r Report) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.workspaceIndex(workspaceID)
	if i < 0 {
		return fmt.Errorf("workspace %s: %w", workspaceID, ErrNotFound)
	}
	if w, _ := t.reportIndex(r.ID); w >= 0 {
		return fmt.Errorf("report %s: %w", r.ID, ErrExists)
	}
	t.Workspaces[i].Reports = append(t.Workspaces[i].Reports, r)
	return nil
}

// RemoveReport deletes a report.
func (t *Tenant) RemoveReport(reportID string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, r := t.reportIndex(reportID)
	if w < 0 {
		return fmt.Errorf("report %s: %w", reportID, ErrNotFound)
	}
	t.Workspaces[w].Reports = slices.Delete(t.Workspaces[w].Reports, r, r+1)
	return nil
}

// RenameReport changes a report's name.
func (t *Tenant) RenameReport(reportID, name string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, r := t.reportIndex(reportID)
	if w < 0 {
		return fmt.Errorf("report %s: %w", reportID, ErrNotFound)
	}
	t.Workspaces[w].Reports[r].Name = name
	return nil
}

func (t *Tenant) withDataset(datasetID string, fn func(*Dataset) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, d := t.datasetIndex(datasetID)
	if w < 0 {
		return fmt.Errorf("dataset %s: %w", datasetID, ErrNotFound)
	}
	// Work on a copy so a failing fn leaves the dataset untouched.
	c := copyDataset(t.Workspaces[w].Datasets[d])
	if err := fn(&c); err != nil {
		return err
	}
	t.Workspaces[w].Datasets[d] = c
	return nil
}

func (t *Tenant) withTable(datasetID, table string, fn func(*Table) error) error {
	return t.withDataset(datasetID, func(d *Dataset) error {
		i := tableIndex(d, table)
		if i < 0 {
			return fmt.Errorf("table %q in dataset %s: %w", table, datasetID, ErrNotFound)
		}
		return fn(&d.Tables[i])
	})
}

// Table and column names compare exactly, so a test names precisely what it changes.

func tableIndex(d *Dataset, name string) int {
	return slices.IndexFunc(d.Tables, func(tb Table) bool { return tb.Name == name })
}

func columnIndex(tb *Table, name string) int {
	return slices.IndexFunc(tb.Columns, func(c Column) bool { return c.Name == name })
}
