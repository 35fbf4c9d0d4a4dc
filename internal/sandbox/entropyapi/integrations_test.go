package entropyapi

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestIntegrationCreateAndRead(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)

	put := h.do("PUT", "/api/integrations/ingest/finance-powerbi", powerBIBody("Finance Power BI", "finance")).want(t, 200).object(t)
	checkIntegration(t, put)
	if strings.Contains(string(h.do("GET", "/api/integrations/ingest/finance-powerbi", nil).body), "s3cret") {
		t.Fatal("GET leaks the client secret")
	}

	for _, base := range []string{"/api/integrations", "/api/integrations/ingest"} {
		got := h.do("GET", base+"/finance-powerbi", nil).want(t, 200).object(t)
		checkIntegration(t, got)
		if fmt.Sprint(got) != fmt.Sprint(put) {
			t.Errorf("%s: GET %v differs from the PUT response %v", base, got, put)
		}
		if got["enabled"] != true || got["assetOwnerTeamExternalId"] != "finance" || got["name"] != "Finance Power BI" || got["source"] != "powerbi" {
			t.Errorf("%s: %v", base, got)
		}
		cfg := got["configuration"].(map[string]any)
		if cfg["externalId"] != "finance-powerbi" || cfg["scheduleExpression"] != "0 0 6 * * ?" || cfg["description"] != "imports finance" {
			t.Errorf("configuration %v", cfg)
		}
		filters := cfg["filters"].(map[string]any)
		if fmt.Sprint(filters["workspaces"]) != "map[exclude:[*Sandbox*] include:[Finance*]]" || fmt.Sprint(filters["reports"]) != "map[exclude:[*(old)]]" {
			t.Errorf("filters %v", filters)
		}
		if _, ok := cfg["credential"]; ok {
			t.Error("configuration carries the credential")
		}
		h.do("GET", base+"/nope", nil).problem(t, 404, "nope")
	}

	list := h.do("GET", "/api/integrations", nil).want(t, 200).array(t)
	if len(list) != 1 {
		t.Fatalf("list %v", list)
	}
	checkIntegration(t, list[0])
	if _, ok := list[0]["configuration"]; ok {
		t.Error("list items must omit configuration")
	}
	if v, ok := list[0]["latestRun"]; !ok || v != nil {
		t.Errorf("latestRun should be null before any run, got %v (present %v)", v, ok)
	}
	if h.do("GET", "/api/integrations", nil).header.Get("Link") != "" {
		t.Error("the integration list is not paged")
	}

	rec, ok := h.srv.Integration("finance-powerbi")
	if !ok || rec.Credential.Details["clientSecret"] != "s3cret-1" || rec.Credential.Type != "service_principal" || rec.Name() != "Finance Power BI" || rec.OwnerTeam() != "finance" {
		t.Fatalf("stored record %+v", rec)
	}
	if rec.Configuration.Filters.Workspaces.Include[0] != "Finance*" || *rec.Configuration.ScheduleExpression != "0 0 6 * * ?" {
		t.Fatalf("stored configuration %+v", rec.Configuration)
	}
}

func TestIntegrationPutRules(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/existing", powerBIBody("Existing", "finance")).want(t, 200)

	with := func(mut func(b map[string]any)) map[string]any {
		b := powerBIBody("New", "finance")
		mut(b)
		return b
	}
	cfg := func(b map[string]any) map[string]any { return b["configuration"].(map[string]any) }

	tests := []struct {
		name       string
		id         string
		body       any
		status     int
		detail     string
		violations string
	}{
		{"create without credential", "new", with(func(b map[string]any) { delete(b, "credential") }), 422, "credential is required", ""},
		{"unknown source", "new", with(func(b map[string]any) { cfg(b)["source"] = "tableau" }), 422, "tableau", ""},
		{"source changes on update", "existing", with(func(b map[string]any) { cfg(b)["source"] = "snowflake" }), 422, "cannot change", ""},
		{"unknown owner team", "new", with(func(b map[string]any) { cfg(b)["assetOwnerTeamExternalId"] = "marketing" }), 422, "marketing", ""},
		{"missing name", "new", with(func(b map[string]any) { delete(cfg(b), "name") }), 400, "", "[configuration.name]"},
		{"missing name and source", "new", with(func(b map[string]any) { delete(cfg(b), "name"); cfg(b)["source"] = " " }), 400, "", "[configuration.name configuration.source]"},
		{"missing configuration", "new", map[string]any{"enabled": true}, 400, "", "[configuration]"},
		{"malformed JSON", "new", `{"configuration": {`, 400, "", "[body]"},
		{"wrong JSON type", "new", with(func(b map[string]any) { b["enabled"] = "yes" }), 400, "", "[enabled]"},
		{"wrong JSON type in configuration", "new", with(func(b map[string]any) { cfg(b)["name"] = 42 }), 400, "", "[configuration.name]"},
		{"wrong JSON type in filters", "new", with(func(b map[string]any) { cfg(b)["filters"] = map[string]any{"reports": map[string]any{"include": "x"}} }), 400, "", "[configuration.filters.reports.include]"},
		{"five-field cron", "new", with(func(b map[string]any) { cfg(b)["scheduleExpression"] = "0 6 * * 1-5" }), 400, "", "[configuration.scheduleExpression]"},
		{"seconds not a number", "new", with(func(b map[string]any) { cfg(b)["scheduleExpression"] = "* 0 6 * * ?" }), 400, "", "[configuration.scheduleExpression]"},
		{"blank filter pattern", "new", with(func(b map[string]any) {
			cfg(b)["filters"] = map[string]any{"reports": map[string]any{"include": []string{"ok", " "}}}
		}), 400, "", "[configuration.filters.reports.include[1]]"},
		{"blank credential type", "new", with(func(b map[string]any) { b["credential"] = map[string]any{"details": map[string]any{}} }), 400, "", "[credential.type]"},
		{"wrong credential type", "new", with(func(b map[string]any) {
			b["credential"].(map[string]any)["type"] = "password"
		}), 422, "service_principal", ""},
		{"incomplete service principal", "new", with(func(b map[string]any) {
			delete(b["credential"].(map[string]any)["details"].(map[string]any), "clientSecret")
		}), 422, "credential.details.clientSecret", ""},
		{"configuration externalId differs", "new", with(func(b map[string]any) { cfg(b)["externalId"] = "other" }), 422, "path parameter", ""},
		{"reserved externalId", "ingest", powerBIBody("New", "finance"), 422, "reserved", ""},
		{"externalId too long", strings.Repeat("x", 257), powerBIBody("New", "finance"), 422, "256", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := h.do("PUT", "/api/integrations/ingest/"+tc.id, tc.body).problem(t, tc.status, tc.detail)
			if tc.violations != "" && fmt.Sprint(fields(p.Violations)) != tc.violations {
				t.Errorf("violations %v, want %s", fields(p.Violations), tc.violations)
			}
			if tc.id == "new" {
				if _, ok := h.srv.Integration("new"); ok {
					t.Error("a rejected PUT created the integration")
				}
			}
		})
	}
	if rec, _ := h.srv.Integration("existing"); rec.Source() != "powerbi" {
		t.Error("a rejected update changed the integration")
	}
}

func TestIntegrationUpdateSemantics(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	const path = "/api/integrations/ingest/fin"
	h.do("PUT", path, powerBIBody("Fin", "finance")).want(t, 200)

	// enabled: false sticks while later PUTs omit it.
	b := powerBIBody("Fin", "finance")
	b["enabled"] = false
	if got := h.do("PUT", path, b).want(t, 200).object(t); got["enabled"] != false {
		t.Fatalf("enabled %v", got["enabled"])
	}
	b = powerBIBody("Fin renamed", "sales")
	delete(b, "credential")
	got := h.do("PUT", path, b).want(t, 200).object(t)
	if got["enabled"] != false || got["name"] != "Fin renamed" || got["assetOwnerTeamExternalId"] != "sales" {
		t.Fatalf("update %v", got)
	}
	rec, _ := h.srv.Integration("fin")
	if rec.Credential.Details["clientSecret"] != "s3cret-1" {
		t.Fatalf("omitted credential must keep the stored one: %+v", rec.Credential)
	}

	// A blank secret keeps the stored secret while other details change.
	b = powerBIBody("Fin", "finance")
	b["credential"].(map[string]any)["details"] = map[string]any{"tenantId": "tenant-2", "clientId": "client-2", "clientSecret": ""}
	h.do("PUT", path, b).want(t, 200)
	rec, _ = h.srv.Integration("fin")
	if d := rec.Credential.Details; d["clientSecret"] != "s3cret-1" || d["clientId"] != "client-2" || d["tenantId"] != "tenant-2" {
		t.Fatalf("details %v", d)
	}

	// A new secret replaces it (rotation).
	b = powerBIBody("Fin", "finance")
	b["credential"].(map[string]any)["details"].(map[string]any)["clientSecret"] = "s3cret-2"
	h.do("PUT", path, b).want(t, 200)
	rec, _ = h.srv.Integration("fin")
	if rec.Credential.Details["clientSecret"] != "s3cret-2" {
		t.Fatalf("secret not rotated: %v", rec.Credential.Details)
	}

	// No schedule and no owner: scheduleExpression is null, the owner is omitted (org-wide).
	b = powerBIBody("Fin", "")
	delete(b["configuration"].(map[string]any), "scheduleExpression")
	delete(b["configuration"].(map[string]any), "filters")
	got = h.do("PUT", path, b).want(t, 200).object(t)
	checkIntegration(t, got)
	cfg := got["configuration"].(map[string]any)
	if v, ok := cfg["scheduleExpression"]; !ok || v != nil {
		t.Errorf("scheduleExpression should be null, got %v", v)
	}
	if _, ok := got["assetOwnerTeamExternalId"]; ok {
		t.Error("org-wide integration must omit assetOwnerTeamExternalId")
	}
	if rec, _ := h.srv.Integration("fin"); rec.Configuration.ScheduleExpression != nil || rec.UpdatedAt.Before(rec.CreatedAt) {
		t.Errorf("record %+v", rec)
	}

	// A well-formed configuration is stored as given: unknown keys anywhere, flat filter lists.
	b = powerBIBody("Fin", "")
	b["configuration"].(map[string]any)["surprise"] = 1
	filters := b["configuration"].(map[string]any)["filters"].(map[string]any)
	filters["datasets"] = []string{"x"}
	filters["reports"] = []string{"Sales*"}
	filters["workspaces"].(map[string]any)["mode"] = "glob"
	got = h.do("PUT", path, b).want(t, 200).object(t)
	if s := fmt.Sprint(got["configuration"]); !strings.Contains(s, "surprise:1") || !strings.Contains(s, "datasets:[x]") ||
		!strings.Contains(s, "reports:[Sales*]") || !strings.Contains(s, "mode:glob") {
		t.Errorf("configuration not returned as stored: %s", s)
	}
	if rec, _ := h.srv.Integration("fin"); fmt.Sprint(rec.Configuration.Filters.Reports.Include) != "[Sales*]" {
		t.Errorf("a flat list means include: %+v", rec.Configuration.Filters.Reports)
	}
	snow := map[string]any{
		"configuration": map[string]any{"source": "snowflake", "name": "Snow", "scheduleExpression": "0 0 6 * * ?", "filters": map[string]any{"databases": []string{"DP_*"}}, "warehouse": "WH"},
		"credential":    map[string]any{"type": "key_pair", "details": map[string]any{"user": "u", "privateKey": "k"}},
	}
	got = h.do("PUT", "/api/integrations/ingest/snow", snow).want(t, 200).object(t)
	cfg = got["configuration"].(map[string]any)
	if cfg["warehouse"] != "WH" || fmt.Sprint(cfg["filters"]) != "map[databases:[DP_*]]" {
		t.Errorf("snowflake configuration %v", cfg)
	}
}

func TestIntegrationListFilters(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/a", powerBIBody("A", "finance")).want(t, 200)
	b := powerBIBody("B", "sales")
	b["enabled"] = false
	h.do("PUT", "/api/integrations/ingest/b", b).want(t, 200)
	h.do("PUT", "/api/integrations/ingest/c", powerBIBody("C", "")).want(t, 200)

	ids := func(q string) string {
		var out []string
		for _, it := range h.do("GET", "/api/integrations/ingest"+q, nil).want(t, 200).array(t) {
			out = append(out, it["externalId"].(string))
		}
		return fmt.Sprint(out)
	}
	for q, want := range map[string]string{
		"":                              "[a b c]",
		"?source=powerbi":               "[a b c]",
		"?source=snowflake":             "[]",
		"?owningTeamExternalId=sales":   "[b]",
		"?enabled=true":                 "[a c]",
		"?enabled=false&source=powerbi": "[b]",
	} {
		if got := ids(q); got != want {
			t.Errorf("%q: %s, want %s", q, got, want)
		}
	}
	h.do("GET", "/api/integrations?enabled=maybe", nil).problem(t, 400, "enabled")
	h.do("GET", "/api/integrations?source=tableau", nil).problem(t, 400, "source")
}

func TestIntegrationDelete(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	for _, id := range []string{"fin", "other"} {
		h.do("PUT", "/api/integrations/ingest/"+id, powerBIBody(id, "finance")).want(t, 200)
	}
	asset := func(id, integration string) Asset {
		return Asset{ID: id, Info: AssetInfo{Type: "powerbi_report", Source: "powerbi"}, Custom: map[string]any{"integrationExternalId": integration}}
	}
	for _, a := range []Asset{asset("a1", "fin"), asset("a2", "fin"), asset("b1", "other"), {ID: "manual"}} {
		if _, _, err := h.srv.UpsertAsset(a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.srv.TriggerRun("fin"); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, h.srv)

	// An imported asset still used by a data product blocks the delete, and nothing is removed.
	if err := h.srv.PutDataProductJSON("report", []byte(reportProductJSON("report", "finance", "a2"))); err != nil {
		t.Fatal(err)
	}
	h.do("DELETE", "/api/integrations/ingest/fin?deleteAssets=true", nil).problem(t, 422, "a2", "report")
	if _, ok := h.srv.Asset("a1"); !ok {
		t.Fatal("a rejected delete removed an asset")
	}
	if err := h.srv.DeleteDataProduct("report"); err != nil {
		t.Fatal(err)
	}

	h.do("DELETE", "/api/integrations/ingest/fin?deleteAssets=maybe", nil).problem(t, 400)
	r := h.do("DELETE", "/api/integrations/ingest/fin?deleteAssets=true", nil).want(t, 204)
	if len(r.body) != 0 {
		t.Errorf("204 with a body: %s", r.body)
	}
	h.do("GET", "/api/integrations/fin", nil).problem(t, 404)
	h.do("GET", "/api/integrations/fin/runs/latest", nil).problem(t, 404)
	if len(h.srv.Runs("fin")) != 0 {
		t.Error("runs survived the delete")
	}
	var left []string
	for _, a := range h.srv.Assets() {
		left = append(left, a.ID)
	}
	if fmt.Sprint(left) != "[b1 manual]" {
		t.Errorf("assets left %v", left)
	}

	// Without deleteAssets the assets stay.
	h.do("DELETE", "/api/integrations/ingest/other", nil).want(t, 204)
	if _, ok := h.srv.Asset("b1"); !ok {
		t.Error("assets deleted without deleteAssets=true")
	}
	h.do("DELETE", "/api/integrations/ingest/other", nil).problem(t, 404)
	h.do("DELETE", "/api/integrations/other", nil).problem(t, 405)
}

func TestIngestionsDisabled(t *testing.T) {
	h := newHarness(t, Options{IngestionsDisabled: true})
	seedTeams(t, h.srv)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/integrations"},
		{"GET", "/api/integrations/ingest"},
		{"GET", "/api/integrations/x"},
		{"PUT", "/api/integrations/ingest/x"},
		{"POST", "/api/integrations/x/run"},
		{"GET", "/api/integrations/x/runs/latest"},
	} {
		h.do(c.method, c.path, powerBIBody("X", "")).problem(t, 404, "APPLICATION_INGESTIONS_ENABLED")
	}
	h.do("GET", "/api/teams", nil).want(t, 200)
	h.doAs("bad", "GET", "/api/integrations", nil).problem(t, 403)
	if _, err := h.srv.TriggerRun("x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("TriggerRun: %v", err)
	}
}

func TestUniqueIntegrationNames(t *testing.T) {
	for _, unique := range []bool{true, false} {
		t.Run(fmt.Sprint("unique=", unique), func(t *testing.T) {
			h := newHarness(t, Options{UniqueIntegrationNames: unique})
			seedTeams(t, h.srv)
			h.do("PUT", "/api/integrations/ingest/first", powerBIBody("Finance Power BI", "finance")).want(t, 200)
			// Re-PUT of the same integration with its own name is fine either way.
			h.do("PUT", "/api/integrations/ingest/first", powerBIBody("Finance Power BI", "finance")).want(t, 200)
			r := h.do("PUT", "/api/integrations/ingest/second", powerBIBody("Finance Power BI", "finance"))
			if unique {
				r.problem(t, 409, "first", "Finance Power BI")
				_, err := h.srv.PutIntegration("second", IntegrationConfiguration{Source: "powerbi", Name: "Finance Power BI"}, &Credential{Type: "service_principal", Details: map[string]string{"tenantId": "t", "clientId": "c", "clientSecret": "s"}}, nil)
				if !errors.Is(err, ErrConflict) {
					t.Errorf("PutIntegration: %v", err)
				}
			} else {
				r.want(t, 200)
			}
		})
	}
}

func TestIntegrationTeamScopedKeys(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/sales-bi", powerBIBody("Sales", "sales")).want(t, 200)
	h.do("PUT", "/api/integrations/ingest/org-bi", powerBIBody("Org", "")).want(t, 200)

	// A finance key manages finance integrations only.
	h.doAs(financeKey, "PUT", "/api/integrations/ingest/fin-bi", powerBIBody("Fin", "finance")).want(t, 200)
	h.doAs(financeKey, "PUT", "/api/integrations/ingest/new-bi", powerBIBody("New", "sales")).problem(t, 403)
	h.doAs(financeKey, "PUT", "/api/integrations/ingest/new-bi", powerBIBody("New", "")).problem(t, 403)
	h.doAs(financeKey, "PUT", "/api/integrations/ingest/sales-bi", powerBIBody("Sales", "finance")).problem(t, 403) // cannot take it over
	for _, id := range []string{"sales-bi", "org-bi"} {
		h.doAs(financeKey, "POST", "/api/integrations/"+id+"/run", nil).problem(t, 403, "INGESTION_EDIT")
		h.doAs(financeKey, "POST", "/api/integrations/"+id+"/cancel", nil).problem(t, 403)
		h.doAs(financeKey, "DELETE", "/api/integrations/ingest/"+id, nil).problem(t, 403)
		h.doAs(financeKey, "GET", "/api/integrations/"+id, nil).want(t, 200) // reads are not restricted
	}
	h.doAs(financeKey, "POST", "/api/integrations/fin-bi/run", nil).want(t, 202)
	waitIdle(t, h.srv)
	h.doAs(financeKey, "POST", "/api/integrations/fin-bi/cancel", nil).want(t, 204)
	h.doAs(financeKey, "DELETE", "/api/integrations/ingest/fin-bi", nil).want(t, 204)
	h.doAs(salesKey, "POST", "/api/integrations/sales-bi/run", nil).want(t, 202)
}

func TestEditIntegration(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "finance")).want(t, 200)
	err := h.srv.EditIntegration("fin", func(r *IntegrationRecord) {
		r.ExternalID = "hijacked"
		r.Configuration.Name = "Edited in the UI"
		r.Configuration.Filters.Workspaces.Include = []string{"Everything*"}
		r.Enabled = false
	})
	if err != nil {
		t.Fatal(err)
	}
	got := h.do("GET", "/api/integrations/fin", nil).want(t, 200).object(t)
	if got["name"] != "Edited in the UI" || got["enabled"] != false || !strings.Contains(fmt.Sprint(got["configuration"]), "Everything*") {
		t.Errorf("edit not visible: %v", got)
	}
	if err := h.srv.EditIntegration("nope", func(*IntegrationRecord) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
}

// With DeleteAssetsInUse the server deletes an integration's assets even
// while a data product uses them: the worst case the provider guards against.
func TestIntegrationDeleteAssetsInUse(t *testing.T) {
	h := newHarness(t, Options{DeleteAssetsInUse: true})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("fin", "finance")).want(t, 200)
	a := Asset{ID: "a1", Info: AssetInfo{Type: "powerbi_report", Source: "powerbi"}, Custom: map[string]any{"integrationExternalId": "fin"}}
	if _, _, err := h.srv.UpsertAsset(a); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.PutDataProductJSON("report", []byte(reportProductJSON("report", "finance", "a1"))); err != nil {
		t.Fatal(err)
	}
	h.do("DELETE", "/api/integrations/ingest/fin?deleteAssets=true", nil).want(t, 204)
	if _, ok := h.srv.Asset("a1"); ok {
		t.Error("the asset in use was kept")
	}
}

// A read-and-run-only integrations API, as the public docs describe it: the
// write endpoint answers 405, reads and runs work on an integration made in
// the UI (here: through Go).
func TestIntegrationsReadOnly(t *testing.T) {
	h := newHarness(t, Options{IntegrationsReadOnly: true})
	seedTeams(t, h.srv)
	h.do("PUT", "/api/integrations/ingest/fin", powerBIBody("Fin", "")).want(t, 405)
	h.do("GET", "/api/integrations", nil).want(t, 200)
	if _, err := h.srv.PutIntegration("fin", IntegrationConfiguration{Source: "fabric", Name: "Fin"},
		&Credential{Type: CredentialTypeServicePrincipal, Details: map[string]string{"tenantId": "t", "clientId": "c", "clientSecret": "s"}}, nil); err != nil {
		t.Fatal(err)
	}
	h.do("GET", "/api/integrations/fin", nil).want(t, 200)
	h.do("DELETE", "/api/integrations/ingest/fin", nil).want(t, 405)
	h.do("POST", "/api/integrations/fin/run", nil).want(t, 202)
}
