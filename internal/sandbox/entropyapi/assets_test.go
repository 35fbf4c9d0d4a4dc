package entropyapi

import (
	"errors"
	"fmt"
	"testing"
)

func semanticModelAsset() map[string]any {
	return map[string]any{
		"id": "powerbi-model-1",
		"info": map[string]any{
			"owner": "finance", "source": "powerbi", "sourceId": "model-1", "type": "powerbi_semantic_model",
			"name": "Revenue", "status": "active",
		},
		"custom":        map[string]any{"integrationExternalId": "fin", "workspaceId": "ws-1", "workspaceName": "Finance"},
		"columns":       []any{map[string]any{"name": "amount", "type": "decimal", "properties": []any{map[string]any{"name": "currency", "type": "string"}}}},
		"relationships": []any{map[string]any{"relationshipType": "parent", "assetId": "powerbi-ws-1"}},
		"tags":          []any{"finance"},
		"links":         map[string]any{"powerbi": "https://app.powerbi.com/groups/ws-1/datasets/model-1"},
		"assignedTags":  []any{"ignored"},
	}
}

func TestAssetPutGetDelete(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	r := h.do("PUT", "/api/assets/powerbi-model-1", semanticModelAsset()).want(t, 200)
	if len(r.body) != 0 {
		t.Errorf("PUT answers 200 without a body, got %s", r.body)
	}
	got := h.do("GET", "/api/assets/powerbi-model-1", nil).want(t, 200).object(t)
	want := semanticModelAsset()
	delete(want, "assignedTags") // read-only: a PUT ignores it
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("GET\n %v\nwant\n %v", got, want)
	}

	// The list is partial: id and info only.
	list := h.do("GET", "/api/assets", nil).want(t, 200).array(t)
	if len(list) != 1 || len(list[0]) != 2 || list[0]["id"] != "powerbi-model-1" || list[0]["info"].(map[string]any)["type"] != "powerbi_semantic_model" {
		t.Errorf("list %v", list)
	}

	// Assigned tags are managed by their own endpoints and survive a PUT.
	h.do("PUT", "/api/assets/powerbi-model-1/assigned-tags/governance/internal", nil).want(t, 200)
	h.do("PUT", "/api/assets/powerbi-model-1/assigned-tags/pii", nil).want(t, 200)
	h.do("DELETE", "/api/assets/powerbi-model-1/assigned-tags/pii", nil).want(t, 200)
	h.do("PUT", "/api/assets/powerbi-model-1", semanticModelAsset()).want(t, 200)
	if tags := h.do("GET", "/api/assets/powerbi-model-1/assigned-tags", nil).want(t, 200); string(tags.body) != "[\"governance/internal\"]\n" {
		t.Errorf("assigned tags %s", tags.body)
	}
	h.do("PUT", "/api/assets/nope/assigned-tags/pii", nil).problem(t, 422, "Data asset does not exist")
	h.do("GET", "/api/assets/nope/assigned-tags", nil).problem(t, 404)

	// In use by a data product (top-level assets or an output port's assets): 422.
	for _, dp := range []string{
		`{"id":"m","info":{"title":"M","owner":"finance"},"assets":[{"assetId":"powerbi-model-1"}]}`,
		`{"id":"m","info":{"title":"M","owner":"finance"},"outputPorts":[{"id":"p","name":"P","assets":[{"assetId":"powerbi-model-1"}]}]}`,
	} {
		if err := h.srv.PutDataProductJSON("m", []byte(dp)); err != nil {
			t.Fatal(err)
		}
		h.do("DELETE", "/api/assets/powerbi-model-1", nil).problem(t, 422, "cannot be deleted, it is still used in a data product", "m")
	}
	if err := h.srv.DeleteDataProduct("m"); err != nil {
		t.Fatal(err)
	}
	h.do("DELETE", "/api/assets/powerbi-model-1", nil).want(t, 200)
	h.do("GET", "/api/assets/powerbi-model-1", nil).problem(t, 404)
	h.do("DELETE", "/api/assets/powerbi-model-1", nil).problem(t, 404)
}

func TestAssetPutRules(t *testing.T) {
	h := newHarness(t, Options{})
	seedTeams(t, h.srv)
	with := func(mut func(map[string]any)) map[string]any {
		a := semanticModelAsset()
		mut(a)
		return a
	}
	tests := []struct {
		name   string
		body   any
		status int
		detail string
	}{
		{"id differs from path", with(func(a map[string]any) { a["id"] = "other" }), 422, "must be same as the path parameter"},
		{"id missing", with(func(a map[string]any) { delete(a, "id") }), 422, "path parameter"},
		{"unknown owner", with(func(a map[string]any) { a["info"].(map[string]any)["owner"] = "marketing" }), 422, "marketing"},
		{"column without type", with(func(a map[string]any) { a["columns"] = []any{map[string]any{"name": "x"}} }), 422, "columns[0].type"},
		{"nested column without name", with(func(a map[string]any) {
			a["columns"] = []any{map[string]any{"name": "x", "type": "record", "properties": []any{map[string]any{"type": "int"}}}}
		}), 422, "columns[0].properties[0].name"},
		{"links must be strings", with(func(a map[string]any) { a["links"] = map[string]any{"x": 1} }), 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.do("PUT", "/api/assets/powerbi-model-1", tc.body).problem(t, tc.status, tc.detail)
		})
	}
	// No owner at all is fine.
	h.do("PUT", "/api/assets/x", map[string]any{"id": "x", "info": map[string]any{"name": "x"}}).want(t, 200)
}

func TestUpsertAsset(t *testing.T) {
	s := New(Options{})
	seedTeams(t, s)
	a := Asset{ID: "a", Info: AssetInfo{Owner: "finance", Type: "powerbi_report"}, Custom: map[string]any{"count": 1, "nested": map[string]any{"x": []string{"y"}}}, Tags: []string{}}
	for i, want := range []struct{ created, changed bool }{{true, true}, {false, false}} {
		created, changed, err := s.UpsertAsset(a)
		if err != nil || created != want.created || changed != want.changed {
			t.Fatalf("upsert %d: created %v changed %v err %v", i, created, changed, err)
		}
	}
	a.Info.Name = "renamed"
	if created, changed, _ := s.UpsertAsset(a); created || !changed {
		t.Fatal("a changed asset must report changed")
	}
	a.AssignedTags = []string{"x"} // read-only: not a change
	if _, changed, _ := s.UpsertAsset(a); changed {
		t.Fatal("assignedTags are not part of the comparison")
	}
	a.Custom["count"] = 2
	got, _ := s.Asset("a")
	if got.Custom["count"] != 1.0 {
		t.Fatal("the store shares maps with the caller")
	}
	if _, _, err := s.UpsertAsset(Asset{ID: "b", Info: AssetInfo{Owner: "nobody"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown owner: %v", err)
	}
	if _, _, err := s.UpsertAsset(Asset{ID: "c", Info: AssetInfo{Name: "c"}}); err != nil {
		t.Fatal(err)
	}
	if all := s.Assets(); len(all) != 2 || all[0].ID != "a" || all[1].ID != "c" {
		t.Fatalf("Assets %+v", all)
	}
	if err := s.DeleteAsset("zzz"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("DeleteAsset unknown: %v", err)
	}
	if err := s.DeleteAsset("c"); err != nil {
		t.Fatal(err)
	}
}
