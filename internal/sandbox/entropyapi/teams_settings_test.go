package entropyapi

import (
	"errors"
	"fmt"
	"testing"
)

func TestTeams(t *testing.T) {
	h := newHarness(t, Options{})
	team := map[string]any{
		"id": "finance", "name": "Finance", "type": "Team", "description": "Money",
		"members": []any{map[string]any{"emailAddress": "Alice@Example.com", "role": "Owner"}},
		"tags":    []any{"core"}, "links": map[string]any{"wiki": "https://wiki"}, "custom": map[string]any{"slack": "#fin"},
	}
	r := h.do("PUT", "/api/teams/finance", team).want(t, 200)
	if len(r.body) != 0 {
		t.Errorf("PUT answers 200 without a body, got %s", r.body)
	}
	if got := h.do("GET", "/api/teams/finance", nil).want(t, 200).object(t); fmt.Sprint(got) != fmt.Sprint(team) {
		t.Errorf("GET %v", got)
	}
	h.do("PUT", "/api/teams/finance-bi", map[string]any{"id": "finance-bi", "name": "Finance BI", "type": "Domain Team", "parent": "finance"}).want(t, 200)
	if got := h.do("GET", "/api/teams?email=alice@example.COM", nil).want(t, 200).array(t); len(got) != 1 || got[0]["id"] != "finance" {
		t.Errorf("email filter %v", got)
	}

	tests := []struct {
		name       string
		path       string
		body       map[string]any
		status     int
		violations string
		detail     string
	}{
		{"empty", "x", map[string]any{}, 400, "[id name type]", ""},
		{"type not in enum", "x", map[string]any{"id": "x", "name": "X", "type": "Squad"}, 400, "[type]", ""},
		{"id differs from path", "x", map[string]any{"id": "y", "name": "X", "type": "Team"}, 400, "[id]", ""},
		{"unknown parent", "x", map[string]any{"id": "x", "name": "X", "type": "Team", "parent": "nobody"}, 422, "", "nobody"},
		{"own parent", "x", map[string]any{"id": "x", "name": "X", "type": "Team", "parent": "x"}, 422, "", "own parent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := h.do("PUT", "/api/teams/"+tc.path, tc.body).problem(t, tc.status, tc.detail)
			if tc.violations != "" && fmt.Sprint(fields(p.Violations)) != tc.violations {
				t.Errorf("violations %v, want %s", fields(p.Violations), tc.violations)
			}
		})
	}

	h.do("DELETE", "/api/teams/finance-bi", nil).want(t, 200)
	h.do("GET", "/api/teams/finance-bi", nil).problem(t, 404)
	h.do("DELETE", "/api/teams/finance-bi", nil).problem(t, 404)
	if err := h.srv.PutTeam(Team{ID: "x"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("PutTeam: %v", err)
	}
	if teams := h.srv.Teams(); len(teams) != 1 || teams[0].Members[0].Role != "Owner" {
		t.Errorf("Teams %+v", teams)
	}
}

func TestDataProductTypes(t *testing.T) {
	h := newHarness(t, Options{})
	var doc DataProductTypesDocument
	h.do("GET", "/api/settings/dataproduct-types", nil).want(t, 200).decode(t, &doc)
	byID := map[string]DataProductType{}
	defaults := 0
	for _, ty := range doc.DataProductTypes {
		byID[ty.ID] = ty
		if ty.Default {
			defaults++
		}
	}
	if defaults != 1 || !byID["consumer-aligned"].Default {
		t.Errorf("default type: %+v", doc)
	}
	if ty := byID["powerbi-semantic-model"]; ty.Labels["en"] != "Power BI Semantic Model" || ty.Behavior != "data-product" || !ty.OutputPorts || !ty.Enabled {
		t.Errorf("semantic model type %+v", ty)
	}
	if ty := byID["powerbi-report"]; ty.Labels["en"] != "Power BI Report" || ty.Behavior != "data-consumer" || ty.OutputPorts || !ty.Enabled {
		t.Errorf("report type %+v", ty)
	}
	for _, id := range []string{"source-aligned", "aggregate", "dataconsumer", "application"} {
		if !byID[id].BuiltIn {
			t.Errorf("missing built-in %s", id)
		}
	}

	// Add a custom type, disable one, move the default.
	types := doc.DataProductTypes
	for i := range types {
		types[i].Default = types[i].ID == "aggregate"
		if types[i].ID == "application" {
			types[i].Enabled = false
		}
	}
	types = append(types, DataProductType{ID: "dashboard", Behavior: "data-consumer", Labels: map[string]string{"en": "Dashboard"}, Enabled: true, BuiltIn: true})
	var saved DataProductTypesDocument
	h.do("PUT", "/api/settings/dataproduct-types", DataProductTypesDocument{types}).want(t, 200).decode(t, &saved)
	if n := len(saved.DataProductTypes); n != 8 || saved.DataProductTypes[7].BuiltIn {
		t.Fatalf("saved %+v (builtIn is server-managed)", saved)
	}
	seedTeams(t, h.srv)
	h.do("PUT", "/api/dataproducts/d", `{"id":"d","info":{"title":"D","owner":"finance","archetype":"dashboard"}}`).want(t, 200)
	h.do("PUT", "/api/dataproducts/a", `{"id":"a","info":{"title":"A","owner":"finance","archetype":"application"}}`).problem(t, 422, "application")

	bad := func(mut func([]DataProductType) []DataProductType) []DataProductType {
		return mut(clone(saved.DataProductTypes))
	}
	tests := []struct {
		name   string
		types  []DataProductType
		detail string
	}{
		{"two defaults", bad(func(ts []DataProductType) []DataProductType { ts[0].Default = true; return ts }), "Exactly one type must be the default."},
		{"no default", bad(func(ts []DataProductType) []DataProductType {
			for i := range ts {
				ts[i].Default = false
			}
			return ts
		}), "Exactly one type must be the default."},
		{"built-in removed", bad(func(ts []DataProductType) []DataProductType { return ts[1:] }), "source-aligned"},
		{"bad behavior", bad(func(ts []DataProductType) []DataProductType { ts[7].Behavior = "report"; return ts }), "behavior"},
		{"duplicate id", bad(func(ts []DataProductType) []DataProductType { return append(ts, ts[7]) }), "Duplicate"},
		{"disabled default", bad(func(ts []DataProductType) []DataProductType { ts[1].Enabled = false; return ts }), "must be enabled"},
		{"missing label", bad(func(ts []DataProductType) []DataProductType { ts[7].Labels = nil; return ts }), "labels.en"},
		{"empty", []DataProductType{}, "At least one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.do("PUT", "/api/settings/dataproduct-types", DataProductTypesDocument{tc.types}).problem(t, 422, tc.detail)
		})
	}
	if got := h.srv.DataProductTypes(); len(got) != 8 || !got[1].Default {
		t.Error("a rejected PUT changed the types")
	}
}
