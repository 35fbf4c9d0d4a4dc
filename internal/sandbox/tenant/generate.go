package tenant

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// GenerateOptions sizes a generated tenant. Zero values take the defaults in brackets.
type GenerateOptions struct {
	Seed                 uint64 // same seed, same tenant, byte for byte [0]
	Workspaces           int    // [100]
	DatasetsPerWorkspace int    // [10]
	TablesPerDataset     int    // [4]
	ColumnsPerTable      int    // [10]
	ReportsPerWorkspace  int    // [20]
	// PrivateEvery > 0 withholds the demo principal's role from every PrivateEvery-th
	// workspace, so visibility rules matter at scale too. [0: the principal sees everything]
	PrivateEvery int
}

func (o *GenerateOptions) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Workspaces, 100)
	def(&o.DatasetsPerWorkspace, 10)
	def(&o.TablesPerDataset, 4)
	def(&o.ColumnsPerTable, 10)
	def(&o.ReportsPerWorkspace, 20)
}

// Name pools. Generated names reuse the demo tenant's vocabulary (departments, "Sandbox",
// "(old)") so include/exclude patterns select interesting subsets at scale too.
var (
	genDepartments = []string{"Finance", "Sales", "Marketing", "HR", "Operations", "Supply Chain", "Engineering", "Customer Success", "Legal", "Procurement"}
	genSubjects    = []string{"Revenue", "Orders", "Customers", "Inventory", "Pipeline", "Campaigns", "Headcount", "Budget", "Forecast", "Support Tickets"}
	genTables      = []string{"Facts", "Customers", "Products", "Calendar", "Regions", "Accounts", "Orders", "Targets", "Employees", "Suppliers"}
	genColumns     = []string{"ID", "Name", "Amount", "Quantity", "Date", "Is Active", "Rate", "Code", "Category", "Created At", "Owner", "Status"}
	genReportKinds = []string{"Overview", "Details", "Trends", "Scorecard", "Drill-through"}
)

// Generate builds a large, deterministic tenant for scale tests and benchmarks. It has the
// demo tenant's identity and apps (DemoTenantID, DemoClientID/DemoClientSecret, ...), all
// settings on, and, per workspace: DatasetsPerWorkspace models of TablesPerDataset tables
// of ColumnsPerTable columns, and ReportsPerWorkspace reports, of which every tenth is
// bound to a model in the previous workspace and the last is paginated without a model.
func Generate(opts GenerateOptions) *Tenant {
	opts.defaults()
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed_7e4a_47)) // fixed stream per seed
	guid := func() string {
		var b [16]byte
		for i := 0; i < 16; i += 8 {
			v := rng.Uint64()
			for j := 0; j < 8; j++ {
				b[i+j] = byte(v >> (8 * j))
			}
		}
		b[6] = b[6]&0x0f | 0x40 // version 4
		b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	base := time.Date(2023, 1, 1, 8, 0, 0, 0, time.UTC)

	demo := Default()
	t := &Tenant{ID: demo.ID, DisplayName: demo.DisplayName + " (generated)", Domain: demo.Domain,
		Settings: demo.Settings, Apps: demo.Apps}

	for i := 0; i < opts.Workspaces; i++ {
		dept := genDepartments[i%len(genDepartments)]
		w := Workspace{ID: guid(), Name: fmt.Sprintf("%s %03d", dept, i+1), Type: WorkspaceTypeWorkspace, Roles: map[string]Role{}}
		if i%7 == 6 {
			w.Name += " Sandbox"
		}
		if opts.PrivateEvery <= 0 || (i+1)%opts.PrivateEvery != 0 {
			w.Roles[DemoClientID] = []Role{RoleViewer, RoleMember}[i%2]
		}
		for j := 0; j < opts.DatasetsPerWorkspace; j++ {
			d := Dataset{
				ID:                guid(),
				Name:              fmt.Sprintf("%s %03d-%02d", genSubjects[j%len(genSubjects)], i+1, j+1),
				ConfiguredBy:      fmt.Sprintf("owner%02d@contoso.com", i%17),
				TargetStorageMode: []string{"Abf", "PremiumFiles"}[j%2],
				CreatedDate:       base.Add(time.Duration(rng.IntN(20000)) * time.Hour),
			}
			if j%5 == 4 {
				d.Name += " (old)"
			}
			for k := 0; k < opts.TablesPerDataset; k++ {
				tb := Table{Name: genTables[k%len(genTables)], Columns: []Column{}}
				if k >= len(genTables) {
					tb.Name = fmt.Sprintf("%s %d", tb.Name, k/len(genTables)+1)
				}
				for c := 0; c < opts.ColumnsPerTable; c++ {
					col := Column{Name: genColumns[c%len(genColumns)], DataType: DataTypes[rng.IntN(6)]} // not Binary
					if c >= len(genColumns) {
						col.Name = fmt.Sprintf("%s %d", col.Name, c/len(genColumns)+1)
					}
					if rng.IntN(10) == 0 {
						col.IsHidden = true
					}
					if rng.IntN(3) == 0 {
						col.Description = fmt.Sprintf("%s of %s.", col.Name, tb.Name)
					}
					tb.Columns = append(tb.Columns, col)
				}
				d.Tables = append(d.Tables, tb)
			}
			w.Datasets = append(w.Datasets, d)
		}
		for k := 0; k < opts.ReportsPerWorkspace; k++ {
			r := Report{ID: guid(), ReportType: ReportTypePowerBI}
			switch {
			case k == opts.ReportsPerWorkspace-1:
				r.ReportType = ReportTypePaginated
				r.Name = fmt.Sprintf("%s %03d Print Pack", dept, i+1)
			case k%10 == 9 && i > 0 && len(t.Workspaces[i-1].Datasets) > 0:
				prev := t.Workspaces[i-1]
				d := prev.Datasets[k%len(prev.Datasets)]
				r.DatasetID, r.DatasetWorkspaceID = d.ID, prev.ID
				r.Name = d.Name + " " + genReportKinds[k%len(genReportKinds)] + " (shared)"
			case len(w.Datasets) > 0:
				d := w.Datasets[k%len(w.Datasets)]
				r.DatasetID = d.ID
				r.Name = fmt.Sprintf("%s %s %d", d.Name, genReportKinds[k%len(genReportKinds)], k+1)
			default: // no models to bind to: only paginated reports are possible
				r.ReportType = ReportTypePaginated
				r.Name = fmt.Sprintf("%s %03d Paginated %d", dept, i+1, k+1)
			}
			w.Reports = append(w.Reports, r)
		}
		t.Workspaces = append(t.Workspaces, w)
	}
	return t
}
