package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestDefaultFixtureShape(t *testing.T) {
	tn := Default()
	if err := tn.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if tn.ID != DemoTenantID || !tn.Matches(DemoTenantDomain) || !tn.Matches(strings.ToUpper(DemoTenantID)) {
		t.Errorf("tenant identity: id %s domain %s", tn.ID, tn.Domain)
	}
	s := tn.CurrentSettings()
	if !s.ServicePrincipalsCanUseAPIs || !s.ServicePrincipalsCanUseReadOnlyAdminAPIs || !s.DetailedMetadata {
		t.Errorf("settings: all switches should be on by default, got %+v", s)
	}

	st := tn.Stats()
	if st.Workspaces < 5 || st.Datasets < 6 || st.Reports < 8 {
		t.Errorf("too small: %+v", st)
	}

	// Visibility: the demo principal sees every workspace but HR Confidential; the
	// no-access principal sees none.
	var visible []string
	for _, w := range tn.VisibleWorkspaces(DemoClientID) {
		visible = append(visible, w.Name)
	}
	want := []string{"Finance", "Finance Sandbox", "Sales Analytics", "Marketing", "Supply Chain"}
	if strings.Join(visible, "|") != strings.Join(want, "|") {
		t.Errorf("demo principal sees %q, want %q", visible, want)
	}
	headers := tn.VisibleWorkspaceHeaders(DemoClientID)
	if len(headers) != len(want) || headers[0].Name != "Finance" || len(headers[0].Datasets) != 0 || len(headers[0].Reports) != 0 {
		t.Errorf("headers: %+v", headers)
	}
	if _, ok := tn.RoleOf(DemoWorkspaceHRConfidential, DemoClientID); ok {
		t.Error("demo principal must have no role in HR Confidential")
	}
	if got := tn.VisibleWorkspaces(NoAccessClientID); len(got) != 0 {
		t.Errorf("no-access principal sees %d workspaces", len(got))
	}
	if a, ok := tn.App(DisabledClientID); !ok || !a.Disabled {
		t.Error("disabled app missing or enabled")
	}
	if a, ok := tn.App(DemoClientID); !ok || a.Secrets[0] != DemoClientSecret || a.Disabled {
		t.Errorf("demo app: %+v", a)
	}

	// Models: 2-4 tables each; the fixture as a whole has several data types, hidden
	// columns and described columns.
	types := map[string]bool{}
	var hidden, described int
	for _, w := range tn.WorkspaceList() {
		for _, d := range w.Datasets {
			if n := len(d.Tables); n < 2 || n > 4 {
				t.Errorf("dataset %s has %d tables", d.Name, n)
			}
			for _, tb := range d.Tables {
				for _, c := range tb.Columns {
					types[c.DataType] = true
					if c.IsHidden {
						hidden++
					}
					if c.Description != "" {
						described++
					}
				}
			}
		}
	}
	if len(types) < 5 || hidden == 0 || described == 0 {
		t.Errorf("column variety: types %v, hidden %d, described %d", types, hidden, described)
	}

	// The cross-workspace report and the paginated report without a model.
	r, ws, ok := tn.FindReport(DemoReportRevenueByRegion)
	if !ok || ws != DemoWorkspaceSalesAnalytics || r.DatasetID != DemoDatasetRevenue || r.DatasetWorkspace(ws) != DemoWorkspaceFinance {
		t.Errorf("cross-workspace report: %+v in %s", r, ws)
	}
	r, _, ok = tn.FindReport(DemoReportMonthlyClosePack)
	if !ok || r.ReportType != ReportTypePaginated || r.DatasetID != "" {
		t.Errorf("paginated report: %+v", r)
	}
	if _, _, ok := tn.FindDataset(DemoDatasetRevenueOld); !ok {
		t.Error("Revenue (old) missing")
	}
}

func TestDefaultReturnsIndependentTenants(t *testing.T) {
	a, b := Default(), Default()
	if err := a.RenameDataset(DemoDatasetRevenue, "Changed"); err != nil {
		t.Fatal(err)
	}
	if d, _, _ := b.FindDataset(DemoDatasetRevenue); d.Name != "Revenue" {
		t.Errorf("second Default() saw the first one's change: %q", d.Name)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	orig := Default()
	b, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if !bytes.Equal(b, b2) {
		t.Error("marshal(load(marshal(t))) differs from marshal(t)")
	}
	var viaUnmarshal Tenant
	if err := json.Unmarshal(b, &viaUnmarshal); err != nil {
		t.Fatal(err)
	}
	if viaUnmarshal.Stats() != orig.Stats() {
		t.Errorf("unmarshal stats %+v, want %+v", viaUnmarshal.Stats(), orig.Stats())
	}
}

func TestLoadRejectsBadFixtures(t *testing.T) {
	for name, edit := range map[string]func(string) string{
		"unknown field":  func(s string) string { return strings.Replace(s, `"domain"`, `"domian"`, 1) },
		"bad table name": func(s string) string { return strings.Replace(s, `"name": "Customers"`, `"name": "Customers (EU)"`, 1) },
		"dangling dataset": func(s string) string {
			return strings.Replace(s, `"datasetId": "`+DemoDatasetInventory, `"datasetId": "`+DemoTenantID, 1)
		},
		"bad role":          func(s string) string { return strings.Replace(s, `"Viewer"`, `"Reader"`, 1) },
		"unknown data type": func(s string) string { return strings.Replace(s, `"dataType": "Int64"`, `"dataType": "Integer"`, 1) },
		"duplicate id":      func(s string) string { return strings.Replace(s, DemoDatasetSalaries, DemoDatasetHeadcount, 1) },
	} {
		t.Run(name, func(t *testing.T) {
			bad := edit(string(DefaultJSON))
			if bad == string(DefaultJSON) {
				t.Fatal("edit did not apply")
			}
			if _, err := Load(strings.NewReader(bad)); err == nil {
				t.Error("Load accepted a broken fixture")
			}
		})
	}
}

func TestValidTableName(t *testing.T) {
	for name, want := range map[string]bool{
		"Sales": true, "Sales Reps": true, "LocalDateTable_8e0f-12": true, "Umsätze": true,
		"Sales (old)": false, "a.b": false, "": false, "x/y": false, strings.Repeat("t", 101): false,
	} {
		if got := ValidTableName(name); got != want {
			t.Errorf("ValidTableName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	orig := Default()
	c := orig.Clone()
	c.Workspaces[0].Datasets[0].Tables[0].Columns[0].Name = "changed"
	c.Workspaces[0].Roles[DemoClientID] = RoleAdmin
	c.Apps[0].Secrets[0] = "changed"
	w, _ := orig.Workspace(DemoWorkspaceFinance)
	if w.Datasets[0].Tables[0].Columns[0].Name == "changed" || w.Roles[DemoClientID] != RoleMember {
		t.Error("clone shares workspace data with the original")
	}
	if a, _ := orig.App(DemoClientID); a.Secrets[0] != DemoClientSecret {
		t.Error("clone shares app secrets with the original")
	}
}

func TestMutations(t *testing.T) {
	tn := Default()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tn.AddColumn(DemoDatasetRevenue, "Sales", Column{Name: "Currency", DataType: "String"}))
	must(tn.DropColumn(DemoDatasetRevenue, "Sales", "Discount Rate"))
	must(tn.RenameDataset(DemoDatasetRevenue, "Revenue v2"))
	must(tn.AddTable(DemoDatasetRevenue, Table{Name: "Regions", Columns: []Column{{Name: "Region", DataType: "String"}}}))
	must(tn.DropTable(DemoDatasetRevenue, "Calendar"))
	d, _, _ := tn.FindDataset(DemoDatasetRevenue)
	var names []string
	for _, c := range d.Tables[0].Columns {
		names = append(names, c.Name)
	}
	if d.Name != "Revenue v2" || !strings.HasSuffix(strings.Join(names, ","), "Is Returned,ETL Batch ID,Currency") || strings.Contains(strings.Join(names, ","), "Discount Rate") {
		t.Errorf("dataset after edits: %s %v", d.Name, names)
	}
	if len(d.Tables) != 3 || d.Tables[2].Name != "Regions" {
		t.Errorf("tables after edits: %+v", d.Tables)
	}

	must(tn.AddReport(DemoWorkspaceMarketing, Report{ID: "0c7a3b5e-6f1d-4e2a-9b8c-7d6e5f4a3b2c", Name: "New", ReportType: ReportTypePowerBI, DatasetID: DemoDatasetCampaignPerformance}))
	must(tn.SetRole(DemoWorkspaceHRConfidential, strings.ToUpper(DemoClientID), RoleViewer))
	if r, ok := tn.RoleOf(DemoWorkspaceHRConfidential, DemoClientID); !ok || r != RoleViewer {
		t.Error("SetRole did not grant access")
	}
	must(tn.SetRole(DemoWorkspaceHRConfidential, DemoClientID, ""))
	if _, ok := tn.RoleOf(DemoWorkspaceHRConfidential, DemoClientID); ok {
		t.Error("SetRole(\"\") did not revoke access")
	}
	must(tn.RemoveWorkspace(DemoWorkspaceFinanceSandbox))
	if _, ok := tn.Workspace(DemoWorkspaceFinanceSandbox); ok {
		t.Error("workspace still there")
	}
	tn.UpdateSettings(func(s *Settings) { s.DetailedMetadata = false })
	if tn.CurrentSettings().DetailedMetadata {
		t.Error("settings not updated")
	}
	must(tn.AddApp(App{ClientID: "5f1e2d3c-4b5a-4968-8776-65a4b3c2d1e0", DisplayName: "x", Secrets: []string{"s"}}))
	must(tn.RotateSecret(DemoClientID, "new-secret"))
	if a, _ := tn.App(DemoClientID); len(a.Secrets) != 1 || a.Secrets[0] != "new-secret" {
		t.Errorf("secrets after rotation: %v", a.Secrets)
	}
	if err := tn.Validate(); err != nil {
		t.Errorf("tenant invalid after mutations: %v", err)
	}

	// Mistakes are reported, not ignored.
	for name, err := range map[string]error{
		"unknown dataset":   tn.AddColumn(DemoTenantID, "Sales", Column{Name: "x", DataType: "String"}),
		"unknown table":     tn.DropColumn(DemoDatasetRevenue, "Nope", "x"),
		"unknown column":    tn.DropColumn(DemoDatasetRevenue, "Sales", "Nope"),
		"unknown workspace": tn.SetRole(DemoTenantID, DemoClientID, RoleViewer),
		"removed twice":     tn.RemoveWorkspace(DemoWorkspaceFinanceSandbox),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", name, err)
		}
	}
	if err := tn.AddColumn(DemoDatasetRevenue, "Sales", Column{Name: "Currency", DataType: "String"}); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate column: %v", err)
	}
	if err := tn.AddApp(App{ClientID: DemoClientID}); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate app: %v", err)
	}
	if err := tn.SetRole(DemoWorkspaceFinance, DemoClientID, "Owner"); err == nil {
		t.Error("invalid role accepted")
	}
}

func TestFailedMutationLeavesDatasetUntouched(t *testing.T) {
	tn := Default()
	// The second column does not exist: the first must not be dropped either.
	if err := tn.DropColumn(DemoDatasetRevenue, "Sales", "Quantity", "Nope"); err == nil {
		t.Fatal("expected an error")
	}
	d, _, _ := tn.FindDataset(DemoDatasetRevenue)
	for _, c := range d.Tables[0].Columns {
		if c.Name == "Quantity" {
			return
		}
	}
	t.Error("partial DropColumn removed Quantity")
}

func TestConcurrentReadsAndMutations(t *testing.T) {
	tn := Default()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				_ = tn.VisibleWorkspaces(DemoClientID)
				_, _ = tn.Workspace(DemoWorkspaceFinance)
				_ = tn.CurrentSettings()
				_, _ = json.Marshal(tn)
			}
		}()
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				_ = tn.SetRole(DemoWorkspaceMarketing, DemoClientID, []Role{RoleViewer, ""}[j%2])
				_ = tn.RenameDataset(DemoDatasetRevenue, "Revenue")
				tn.UpdateSettings(func(s *Settings) { s.DetailedMetadata = j%2 == 0 })
			}
		}(i)
	}
	wg.Wait()
}

func TestGenerate(t *testing.T) {
	opts := GenerateOptions{Seed: 42, Workspaces: 12, DatasetsPerWorkspace: 3, TablesPerDataset: 4, ColumnsPerTable: 15, ReportsPerWorkspace: 11, PrivateEvery: 4}
	a, b := Generate(opts), Generate(opts)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("same seed, different tenants")
	}
	opts.Seed = 43
	if jc, _ := json.Marshal(Generate(opts)); bytes.Equal(ja, jc) {
		t.Error("different seed, same tenant")
	}
	if err := a.Validate(); err != nil {
		t.Fatalf("generated tenant invalid: %v", err)
	}
	want := Stats{Workspaces: 12, Datasets: 36, Tables: 144, Columns: 2160, Reports: 132}
	if got := a.Stats(); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
	if got := len(a.VisibleWorkspaces(DemoClientID)); got != 9 {
		t.Errorf("visible workspaces %d, want 9 (every 4th private)", got)
	}
	if a.ID != DemoTenantID {
		t.Error("generated tenant should keep the demo identity")
	}
	var cross, paginated int
	for _, w := range a.WorkspaceList() {
		for _, r := range w.Reports {
			if r.DatasetWorkspaceID != "" {
				cross++
			}
			if r.ReportType == ReportTypePaginated {
				paginated++
			}
		}
	}
	if cross == 0 || paginated != 12 {
		t.Errorf("cross-workspace reports %d, paginated %d", cross, paginated)
	}
}

func TestGenerateDefaultsAreScale(t *testing.T) {
	if testing.Short() {
		t.Skip("large tenant")
	}
	st := Generate(GenerateOptions{Seed: 1}).Stats()
	if want := (Stats{Workspaces: 100, Datasets: 1000, Tables: 4000, Columns: 40000, Reports: 2000}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
}
