package tenant

import (
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in the 8-4-4-4-12 form Microsoft uses for all IDs.
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// NewGUID returns a random (version 4) GUID, as the emulated servers use for
// request and correlation ids.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// tableNameRE is the Power BI Swagger's pattern for Table.name: 1-100 characters, no
// punctuation except '#', '-', '@', '^', '_' and '~'. A fixture table named "Sales (old)"
// would make every scan result invalid against the published schema, so Validate rejects it.
var tableNameRE = regexp.MustCompile("^[\t\n\r #\\-0-9@-Z^_a-z~-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]{1,100}$")

// ValidTableName reports whether name is a table name Power BI's schema allows.
func ValidTableName(name string) bool { return tableNameRE.MatchString(name) }

// Validate checks the tenant's internal consistency: GUID-shaped, unique IDs; known roles,
// data types and report types; reports bound to semantic models that exist; table names
// the Power BI schema allows. It returns all problems found, joined.
func (t *Tenant) Validate() error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !IsGUID(t.ID) {
		bad("tenant id %q is not a GUID", t.ID)
	}
	if t.Domain == "" {
		bad("tenant %s has no domain", t.ID)
	}
	ids := map[string]string{} // every GUID in the tenant -> what it names
	seen := func(id, what string) {
		if !IsGUID(id) {
			bad("%s id %q is not a GUID", what, id)
			return
		}
		k := strings.ToLower(id)
		if prev, dup := ids[k]; dup {
			bad("%s id %s is already used by %s", what, id, prev)
		}
		ids[k] = what
	}
	apps := map[string]bool{}
	for _, a := range t.Apps {
		seen(a.ClientID, "app "+a.DisplayName)
		apps[strings.ToLower(a.ClientID)] = true
		if len(a.Secrets) == 0 {
			bad("app %s has no secret", a.ClientID)
		}
	}
	datasetWS := map[string]string{} // dataset id -> workspace id
	for _, w := range t.Workspaces {
		seen(w.ID, "workspace "+w.Name)
		if w.Name == "" {
			bad("workspace %s has no name", w.ID)
		}
		if w.Type != WorkspaceTypeWorkspace {
			bad("workspace %s: type %q, want %q", w.ID, w.Type, WorkspaceTypeWorkspace)
		}
		for client, role := range w.Roles {
			if !role.Valid() {
				bad("workspace %s: role %q for %s is not Admin, Member, Contributor or Viewer", w.ID, role, client)
			}
			if !apps[strings.ToLower(client)] {
				bad("workspace %s: role for unknown app %s", w.ID, client)
			}
		}
		for _, d := range w.Datasets {
			seen(d.ID, "dataset "+d.Name)
			datasetWS[strings.ToLower(d.ID)] = w.ID
			for _, tb := range d.Tables {
				if !ValidTableName(tb.Name) {
					bad("dataset %s: table name %q is not allowed by Power BI (letters, digits, space, # - @ ^ _ ~ only)", d.ID, tb.Name)
				}
				for _, c := range tb.Columns {
					if c.Name == "" {
						bad("dataset %s table %s: column without a name", d.ID, tb.Name)
					}
					if !slices.Contains(DataTypes, c.DataType) {
						bad("dataset %s table %s column %s: data type %q not one of %v", d.ID, tb.Name, c.Name, c.DataType, DataTypes)
					}
					if c.ColumnType != "" && !slices.Contains(ColumnTypes, c.ColumnType) {
						bad("dataset %s table %s column %s: column type %q not one of %v", d.ID, tb.Name, c.Name, c.ColumnType, ColumnTypes)
					}
				}
			}
		}
	}
	for _, w := range t.Workspaces {
		for _, r := range w.Reports {
			seen(r.ID, "report "+r.Name)
			switch r.ReportType {
			case ReportTypePowerBI:
				if r.DatasetID == "" {
					bad("report %s: a Power BI report needs a dataset", r.ID)
				}
			case ReportTypePaginated:
			default:
				bad("report %s: report type %q", r.ID, r.ReportType)
			}
			if r.DatasetID == "" {
				if r.DatasetWorkspaceID != "" {
					bad("report %s: dataset workspace without a dataset", r.ID)
				}
				continue
			}
			got, ok := datasetWS[strings.ToLower(r.DatasetID)]
			if !ok {
				bad("report %s: dataset %s does not exist", r.ID, r.DatasetID)
			} else if want := r.DatasetWorkspace(w.ID); !strings.EqualFold(got, want) {
				bad("report %s: dataset %s is in workspace %s, not %s", r.ID, r.DatasetID, got, want)
			}
		}
	}
	return errors.Join(errs...)
}
