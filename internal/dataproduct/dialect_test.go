package dataproduct_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// portAssets are the asset links of the Revenue model's port: the model,
// then its tables by name.
func portAssets() []any {
	out := []any{map[string]any{"assetId": revenueModel}}
	for _, table := range revenueTables {
		out = append(out, map[string]any{"assetId": entropydata.PowerBITableAssetID(tenant.DemoDatasetRevenue, table)})
	}
	return out
}

// storedDoc is the raw document the sandbox holds.
func storedDoc(sb *sandbox.Sandbox, id string) (map[string]any, error) {
	body, ok := sb.API.DataProductJSON(id)
	if !ok {
		return nil, fmt.Errorf("data product %s is not in the sandbox", id)
	}
	var m map[string]any
	return m, json.Unmarshal(body, &m)
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameAt checks that doc holds want at each of the keys (a path of object
// keys and list indexes).
func sameAt(doc map[string]any, want map[string]any, path ...any) error {
	var got, exp any = doc, want
	for _, p := range path {
		switch k := p.(type) {
		case string:
			got, exp = field(got, k), field(exp, k)
		case int:
			got, exp = index(got, k), index(exp, k)
		}
	}
	if exp == nil || jsonText(got) != jsonText(exp) {
		return fmt.Errorf("%v is %s, want %s", path, jsonText(got), jsonText(exp))
	}
	return nil
}

func field(v any, k string) any { m, _ := v.(map[string]any); return m[k] }

func index(v any, i int) any {
	l, _ := v.([]any)
	if i >= len(l) {
		return nil
	}
	return l[i]
}

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

// dialectSteps imports a data product made in the UI (stored as doc), finds
// no change to make, applies a change, and then checks that every field at
// unmanaged (paths into the document) is unchanged on the server.
func dialectSteps(t *testing.T, sb *sandbox.Sandbox, id string, doc map[string]any, unmanaged [][]any, check func(map[string]any) error) []resource.TestStep {
	res := addr("ui")
	config := func(title, custom string) string {
		return acctest.ProviderConfig(sb) + dataProductHCL("ui", id, "semantic_model", revenueModel, fmt.Sprintf(`
  title       = %q
  description = "Revenue by order."
  owner_team  = "finance"
  custom      = %s
  upstream    = []
`, title, custom))
	}
	imported := config("Revenue", `{ note = "set in the UI" }`)
	changed := config("Revenue (governed)", `{ note = "set in the UI", costCenter = "4711" }`)
	return []resource.TestStep{
		{
			PreConfig: func() {
				if err := sb.API.PutDataProductJSON(id, marshal(t, doc)); err != nil {
					t.Fatal(err)
				}
			},
			Config:             imported,
			ResourceName:       res,
			ImportState:        true,
			ImportStateId:      id,
			ImportStatePersist: true,
		},
		{
			Config:   imported,
			PlanOnly: true, // fails on any planned change
		},
		{
			PreConfig: func() {
				// Set in the UI after the import: not managed, so it must stay too.
				editStored(t, sb, id, func(m map[string]any) { addCustom(m, "addedLater", "x") })
			},
			Config: changed,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("title"), knownvalue.StringExact("Revenue (governed)")),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("output_port").AtMapKey("name"), knownvalue.StringExact("Revenue")),
			},
			Check: func(*terraform.State) error {
				stored, err := storedDoc(sb, id)
				if err != nil {
					return err
				}
				for _, p := range unmanaged {
					if err := sameAt(stored, doc, p...); err != nil {
						return fmt.Errorf("an unmanaged field changed: %w", err)
					}
				}
				return check(stored)
			},
		},
	}
}

// addCustom adds a custom value the way the UI stores it, in either format.
func addCustom(m map[string]any, k, v string) {
	if _, odps := m["kind"]; odps {
		props, _ := m["customProperties"].([]any)
		m["customProperties"] = append(props, map[string]any{"property": k, "value": v})
		return
	}
	custom, _ := m["custom"].(map[string]any)
	if custom == nil {
		custom = map[string]any{}
	}
	custom[k] = v
	m["custom"] = custom
}

// A server that answers in ODPS, with fields DPS cannot express: the import
// plans nothing, a change applies, and the document stays ODPS with every
// field the provider does not manage unchanged.
func TestAccDataProduct_odpsDialect(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{DataProductsODPS: true})
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("odps")
	doc := map[string]any{
		"apiVersion": "v1.0.0", "kind": "DataProduct", "id": id, "name": "Revenue", "status": "active", "version": "2.1.0",
		"domain": "sales", "tenant": "emea", "productCreatedTs": "2026-01-05T08:00:00Z",
		"support":     []any{map[string]any{"channel": "#revenue", "url": "https://chat.example.com/revenue", "tool": "slack"}},
		"description": map[string]any{"purpose": "Revenue by order.", "usage": "Monthly close.", "limitations": "EU only."},
		"team":        map[string]any{"name": "finance", "members": []any{map[string]any{"username": "ana", "role": "owner"}}},
		"inputPorts":  []any{map[string]any{"name": "orders", "version": "1.0.0", "contractId": "orders-v1"}},
		"customProperties": []any{
			map[string]any{"property": "type", "value": "powerbi-semantic-model"},
			map[string]any{"property": "sla", "value": map[string]any{"availability": "99.9%", "hours": 4}},
			map[string]any{"property": "note", "value": "set in the UI", "description": "kept with its description"},
			map[string]any{"property": "assets", "value": []any{map[string]any{"assetId": revenueModel}}},
		},
		"authoritativeDefinitions": []any{map[string]any{"type": "wiki", "url": "https://wiki.example.com/revenue"}},
		"outputPorts": []any{
			map[string]any{"name": "semantic-model", "version": "2.0.0", "type": "powerbi", "contractId": "revenue-v2",
				"sbom": []any{map[string]any{"type": "external", "url": "https://sbom.example.com"}},
				"customProperties": []any{
					map[string]any{"property": "displayName", "value": "Revenue"},
					map[string]any{"property": "autoApprove", "value": true},
					map[string]any{"property": "environment", "value": "prod"},
					map[string]any{"property": "assets", "value": portAssets()},
				}},
			map[string]any{"name": "extract", "version": "1.0.0", "type": "files", "tags": []any{"csv"}},
		},
	}
	unmanaged := [][]any{{"apiVersion"}, {"kind"}, {"version"}, {"domain"}, {"tenant"}, {"productCreatedTs"}, {"support"},
		{"description", "usage"}, {"description", "limitations"}, {"team", "members"}, {"inputPorts"}, {"authoritativeDefinitions"},
		{"customProperties", 0}, {"customProperties", 1}, {"customProperties", 2}, {"customProperties", 3},
		{"outputPorts", 0, "version"}, {"outputPorts", 0, "contractId"}, {"outputPorts", 0, "sbom"}, {"outputPorts", 0, "customProperties"},
		{"outputPorts", 1}}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: dialectSteps(t, sb, id, doc, unmanaged, func(stored map[string]any) error {
			props := jsonText(stored["customProperties"])
			switch {
			case stored["name"] != "Revenue (governed)":
				return fmt.Errorf("name = %v", stored["name"])
			case jsonText(field(stored["description"], "purpose")) != `"Revenue by order."`:
				return fmt.Errorf("description = %v", stored["description"])
			case !contains(props, `{"property":"costCenter","value":"4711"}`) || !contains(props, `{"property":"addedLater","value":"x"}`):
				return fmt.Errorf("customProperties = %s", props)
			}
			return nil
		}),
	})
}

// The default server stores a DPS document as given: unknown keys, info
// fields the provider does not manage, output port settings and custom
// fields set in the UI survive an apply.
func TestAccDataProduct_dpsUnknownFields(t *testing.T) {
	sb := acctest.Sandbox(t)
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("dps")
	doc := map[string]any{
		"dataProductSpecification": "0.0.1", "id": id, "x-extension": map[string]any{"reviewed": true, "by": []any{"ana"}},
		"info": map[string]any{"title": "Revenue", "owner": "finance", "description": "Revenue by order.", "status": "active",
			"archetype": "powerbi-semantic-model", "maturity": "managed", "domain": "sales", "icon": "chart"},
		"inputPorts": []any{map[string]any{"id": "orders", "name": "Orders", "sourceSystemId": "snowflake", "x-note": "kept"}},
		"links":      map[string]any{"wiki": "https://wiki.example.com/revenue"},
		"custom":     map[string]any{"note": "set in the UI"},
		"assets":     []any{map[string]any{"assetId": revenueModel}},
		"outputPorts": []any{
			map[string]any{"id": "semantic-model", "name": "Revenue", "type": "powerbi", "autoApprove": true, "dataContractId": "revenue-v2",
				"containsPii": false, "server": map[string]any{"host": "app.powerbi.com"}, "environment": "prod",
				"custom": map[string]any{"platformRole": "reader"}, "links": map[string]any{"powerbi": "https://app.powerbi.com"},
				"assets": portAssets()},
			map[string]any{"id": "extract", "name": "Extract", "type": "files", "location": "s3://bucket/revenue"},
		},
	}
	unmanaged := [][]any{{"dataProductSpecification"}, {"x-extension"}, {"info", "maturity"}, {"info", "domain"}, {"info", "icon"},
		{"inputPorts"}, {"links"}, {"custom", "note"}, {"outputPorts", 0, "autoApprove"}, {"outputPorts", 0, "dataContractId"},
		{"outputPorts", 0, "containsPii"}, {"outputPorts", 0, "server"}, {"outputPorts", 0, "environment"}, {"outputPorts", 0, "custom"},
		{"outputPorts", 0, "links"}, {"outputPorts", 0, "assets"}, {"outputPorts", 1}}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: dialectSteps(t, sb, id, doc, unmanaged, func(stored map[string]any) error {
			custom := jsonText(stored["custom"])
			if jsonText(field(stored["info"], "title")) != `"Revenue (governed)"` || custom != `{"addedLater":"x","costCenter":"4711","note":"set in the UI"}` {
				return fmt.Errorf("info %v, custom %s", stored["info"], custom)
			}
			return nil
		}),
	})
}

// Assets answered with properties the API document does not list: the
// semantic model data source and the data product read them, import and
// refresh plan nothing, and the provider never writes an asset.
func TestAccDataProduct_assetExtraProperties(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{AssetExtraProperties: true})
	acctest.Ingest(t, sb, "Finance")
	id := acctest.Unique("extras")
	res := addr("model")
	before := marshal(t, sb.API.Assets())
	config := func(title string) string {
		return acctest.ProviderConfig(sb) + `
data "entropydata_powerbi_semantic_model" "revenue" {
  name      = "Revenue"
  workspace = "Finance"
}
` + dataProductHCL("model", id, "semantic_model", "${data.entropydata_powerbi_semantic_model.revenue.id}", fmt.Sprintf(`
  title      = %q
  owner_team = "finance"
  upstream   = []
`, title))
	}
	unchanged := func(*terraform.State) error {
		if after := marshal(t, sb.API.Assets()); string(after) != string(before) {
			return fmt.Errorf("assets changed:\n%s\nwas\n%s", after, before)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(sb),
		Steps: []resource.TestStep{
			{
				Config: config("Revenue"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, portTables, knownvalue.MapExact(tableIDs(revenueTables...))),
				},
				Check: unchanged,
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			{
				Config: config("Revenue (governed)"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: unchanged,
			},
		},
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
