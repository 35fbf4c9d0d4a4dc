package sandbox

import (
	"context"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
	"github.com/entropy-data/terraform-provider-entropydata/internal/transport"
)

func start(t *testing.T, opts Options) *Sandbox {
	t.Helper()
	if opts.ScheduleTick == 0 {
		opts.ScheduleTick = -1
	}
	sb, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// assetsOf lists "type name" of an integration's assets, sorted.
func assetsOf(sb *Sandbox, integration string) []string {
	var out []string
	for _, a := range sb.API.Assets() {
		if a.Custom[entropydata.CustomIntegration] == integration {
			out = append(out, a.Info.Type+" "+a.Info.Name)
		}
	}
	sort.Strings(out)
	return out
}

func TestIngestImportsExactlyWhatTheFiltersSelect(t *testing.T) {
	sb := start(t, Options{})
	run, err := sb.Ingest(ctx(t), "finance", "finance", powerbi.Filters{
		Workspaces:     powerbi.Filter{Include: []string{"Finance*"}, Exclude: []string{"*sandbox*"}},
		SemanticModels: powerbi.Filter{Exclude: []string{"*(old)"}},
		Reports:        powerbi.Filter{Include: []string{"Revenue*", tenant.DemoReportMonthlyClosePack}, Exclude: []string{"*(old)"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"powerbi_report Monthly Close Pack",
		"powerbi_report Revenue Overview",
		"powerbi_semantic_model Finance KPIs",
		"powerbi_semantic_model Revenue",
		"powerbi_table Calendar",
		"powerbi_table Customers",
		"powerbi_table KPIs",
		"powerbi_table Sales",
		"powerbi_table Targets",
		"powerbi_workspace Finance",
	}
	if got := assetsOf(sb, "finance"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("imported assets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if run.AssetsCreated != int64(len(want)) || run.AssetsProcessed != int64(len(want)) || run.AssetsDeleted != 0 {
		t.Errorf("run counts %+v", run)
	}

	// Ids, relationships, owner and links follow the wire contract.
	model, ok := sb.API.Asset(entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue))
	if !ok {
		t.Fatal("the Revenue model asset is missing")
	}
	if model.Info.Owner != "finance" || model.Info.Source != "powerbi" || model.Info.SourceID != tenant.DemoDatasetRevenue ||
		model.Relationships[0] != (entropyapi.AssetRelationship{RelationshipType: "parent", AssetID: entropydata.PowerBIAssetID(tenant.DemoWorkspaceFinance)}) ||
		!strings.Contains(model.Links["powerbi"], tenant.DemoDatasetRevenue) || model.Custom["workspaceName"] != "Finance" {
		t.Errorf("model asset %+v", model)
	}
	table, ok := sb.API.Asset(entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, "Sales"))
	if !ok || len(table.Columns) == 0 || table.Relationships[0].AssetID != model.ID {
		t.Fatalf("table asset %+v", table)
	}
	report, _ := sb.API.Asset(entropydata.PowerBIAssetID(tenant.DemoReportRevenueOverview))
	if len(report.Relationships) != 2 || report.Relationships[1] != (entropyapi.AssetRelationship{RelationshipType: "uses", AssetID: model.ID}) ||
		report.Custom["semanticModelName"] != "Revenue" {
		t.Errorf("report asset %+v", report)
	}
	paginated, _ := sb.API.Asset(entropydata.PowerBIAssetID(tenant.DemoReportMonthlyClosePack))
	if len(paginated.Relationships) != 1 {
		t.Errorf("a paginated report without a model has no uses relationship: %+v", paginated.Relationships)
	}
}

func TestIngestCrossWorkspaceReportAndPrivateWorkspace(t *testing.T) {
	sb := start(t, Options{})
	if _, err := sb.Ingest(ctx(t), "sales", "", powerbi.Filters{
		Workspaces: powerbi.Filter{Include: []string{"Sales Analytics", "HR*"}},
	}); err != nil {
		t.Fatal(err)
	}
	byRegion, ok := sb.API.Asset(entropydata.PowerBIAssetID(tenant.DemoReportRevenueByRegion))
	if !ok {
		t.Fatal("the cross-workspace report was not imported")
	}
	if got := byRegion.Relationships[1].AssetID; got != entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue) {
		t.Errorf("cross-workspace report uses %s, want the Finance Revenue model", got)
	}
	if byRegion.Custom["semanticModelWorkspaceId"] != tenant.DemoWorkspaceFinance {
		t.Errorf("semanticModelWorkspaceId = %v", byRegion.Custom["semanticModelWorkspaceId"])
	}
	for _, a := range assetsOf(sb, "sales") {
		if strings.Contains(a, "Headcount") || strings.Contains(a, "HR") {
			t.Errorf("imported %q from a workspace the principal cannot see", a)
		}
	}
}

func TestReingestDeletesWhatIsNoLongerSelected(t *testing.T) {
	sb := start(t, Options{})
	if _, err := sb.Ingest(ctx(t), "mkt", "", powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Marketing"}}}); err != nil {
		t.Fatal(err)
	}
	run, err := sb.Ingest(ctx(t), "mkt", "", powerbi.Filters{
		Workspaces: powerbi.Filter{Include: []string{"Marketing"}},
		Reports:    powerbi.Filter{Exclude: []string{"*ROI"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.AssetsDeleted != 1 || run.AssetsCreated != 0 {
		t.Errorf("second run %+v, want exactly the ROI report deleted", run)
	}
	if _, ok := sb.API.Asset(entropydata.PowerBIAssetID(tenant.DemoReportCampaignROI)); ok {
		t.Error("the excluded report is still there")
	}
}

// failedRun runs an integration with the given principal and returns the run's message.
func failedRun(t *testing.T, sb *Sandbox, clientID, secret string) string {
	t.Helper()
	_, err := sb.API.PutIntegration("failing", entropyapi.IntegrationConfiguration{Source: "powerbi", Name: "Failing"},
		&entropyapi.Credential{Type: "service_principal", Details: map[string]string{
			"tenantId": tenant.DemoTenantID, "clientId": clientID, "clientSecret": secret}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.API.TriggerRun("failing"); err != nil {
		t.Fatal(err)
	}
	if err := sb.API.WaitIdle(ctx(t)); err != nil {
		t.Fatal(err)
	}
	run := sb.API.Runs("failing")[0]
	if run.Status != entropyapi.RunFailed {
		t.Fatalf("run ended %s, want FAILED", run.Status)
	}
	return run.Message
}

func TestRunFailsWithAClearMessage(t *testing.T) {
	t.Run("wrong secret", func(t *testing.T) {
		msg := failedRun(t, start(t, Options{}), tenant.DemoClientID, "wrong")
		if !strings.Contains(msg, "AADSTS7000215") || !strings.Contains(msg, "secret") {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("no workspace access", func(t *testing.T) {
		msg := failedRun(t, start(t, Options{}), tenant.NoAccessClientID, tenant.NoAccessClientSecret)
		if !strings.Contains(msg, "no access to any Power BI workspace") {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("admin API not allowed", func(t *testing.T) {
		sb := start(t, Options{})
		sb.Tenant.UpdateSettings(func(s *tenant.Settings) { s.ServicePrincipalsCanUseReadOnlyAdminAPIs = false })
		msg := failedRun(t, sb, tenant.DemoClientID, tenant.DemoClientSecret)
		if !strings.Contains(msg, "admin API") {
			t.Errorf("message %q", msg)
		}
	})
}

func TestSchedulerTriggersDueIntegrations(t *testing.T) {
	sb := start(t, Options{})
	daily := "0 0 6 * * ?"
	for id, enabled := range map[string]bool{"on": true, "off": false} {
		e := enabled
		if _, err := sb.API.PutIntegration(id, entropyapi.IntegrationConfiguration{Source: "powerbi", Name: id, ScheduleExpression: &daily},
			&entropyapi.Credential{Type: "service_principal", Details: map[string]string{
				"tenantId": tenant.DemoTenantID, "clientId": tenant.DemoClientID, "clientSecret": tenant.DemoClientSecret}}, &e); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	sb.triggerDue(day.Add(5*time.Hour), day.Add(5*time.Hour+59*time.Minute)) // not yet due
	sb.triggerDue(day.Add(5*time.Hour+59*time.Minute), day.Add(6*time.Hour)) // due at 06:00
	if err := sb.API.WaitIdle(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(sb.API.Runs("on")); n != 1 {
		t.Errorf("enabled integration ran %d times, want once", n)
	}
	if n := len(sb.API.Runs("off")); n != 0 {
		t.Errorf("disabled integration ran %d times, want never", n)
	}
}

func TestStateFileKeepsEntropyDataState(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "state.json")
	sb, err := Start(Options{StateFile: file, Dir: dir, ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Ingest(ctx(t), "kept", "", powerbi.Filters{Workspaces: powerbi.Filter{Include: []string{"Marketing"}}}); err != nil {
		t.Fatal(err)
	}
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	again := start(t, Options{StateFile: file, Dir: dir})
	if _, ok := again.API.Integration("kept"); !ok {
		t.Error("the integration did not survive a restart")
	}
	if len(assetsOf(again, "kept")) == 0 {
		t.Error("the assets did not survive a restart")
	}
}

func TestEnvAndCA(t *testing.T) {
	// A relative -dir (make sandbox uses .sandbox) still exports an absolute
	// path, so the exports work when pasted into a shell anywhere.
	t.Chdir(t.TempDir())
	sb := start(t, Options{Dir: "rel"})
	if !filepath.IsAbs(sb.CAFile) {
		t.Errorf("CAFile = %q, want an absolute path", sb.CAFile)
	}
	exports := sb.Exports()
	for _, want := range []string{"ENTROPY_DATA_HOST='https://127.0.0.1:", "ENTROPY_DATA_API_KEY='" + DefaultAPIKey,
		"ENTROPY_DATA_CA_CERT_FILE='" + sb.CAFile + "'", "TF_VAR_powerbi_client_secret="} {
		if !strings.Contains(exports, want) {
			t.Errorf("exports lack %q:\n%s", want, exports)
		}
	}
	// On Linux SSL_CERT_FILE would replace the system's authorities for the
	// whole shell; the provider's own setting does not.
	if strings.Contains(exports, "SSL_CERT_FILE") {
		t.Errorf("exports set SSL_CERT_FILE:\n%s", exports)
	}
	// The CA file alone makes the provider's clients trust the sandbox.
	pool, n, err := transport.CertPool(sb.CAFile)
	if err != nil || n != 1 {
		t.Fatalf("CA file: %d certificates, %v", n, err)
	}
	hc := &http.Client{Transport: transport.New(transport.Options{RootCAs: pool})}
	c, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetTeam(ctx(t), "finance"); err != nil {
		t.Errorf("get seeded team: %v", err)
	}
	bad, _ := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: "wrong", HTTPClient: hc})
	if _, err := bad.GetTeam(ctx(t), "finance"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a wrong key must get 403, got %v", err)
	}
}
