package powerbi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeScanner is the admin scanner trio: getInfo answers 202 NotStarted,
// scanStatus reports Running `runningPolls` times before the final status,
// scanResult returns one dataset with a table per scanned workspace.
type fakeScanner struct {
	t            *testing.T
	runningPolls int
	final        string // "Succeeded" (default) or "Failed"
	getInfo401   bool

	mu      sync.Mutex
	batches [][]string
	polls   map[string]int
}

func (f *fakeScanner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.polls == nil {
		f.polls = map[string]int{}
	}
	path := strings.TrimPrefix(r.URL.Path, "/v1.0/myorg/admin/workspaces/")
	switch {
	case r.Method == "POST" && path == "getInfo":
		if f.getInfo401 {
			pbiError(w, 401, CodeNotAuthorized, "")
			return
		}
		if r.URL.Query().Get("datasetSchema") != "true" {
			f.t.Errorf("getInfo query = %q, want datasetSchema=true", r.URL.RawQuery)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			f.t.Errorf("Content-Type = %q", ct)
		}
		var body struct {
			Workspaces []string `json:"workspaces"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("getInfo body: %v", err)
		}
		id := fmt.Sprintf("e7d03602-4873-4760-b37e-%012d", len(f.batches))
		f.batches = append(f.batches, body.Workspaces)
		w.Header().Set("Location", "https://example/v1.0/myorg/admin/workspaces/scanStatus/"+id)
		writeJSON(w, 202, map[string]any{"id": id, "createdDateTime": "2020-06-15T16:46:28.0487687Z", "status": "NotStarted"})
	case r.Method == "GET" && strings.HasPrefix(path, "scanStatus/"):
		id := strings.TrimPrefix(path, "scanStatus/")
		f.polls[id]++
		status := "Running"
		if f.polls[id] > f.runningPolls {
			status = f.final
			if status == "" {
				status = "Succeeded"
			}
		}
		body := map[string]any{"id": id, "createdDateTime": "2020-06-15T16:46:28.0487687Z", "status": status}
		if status == "Failed" {
			body["error"] = map[string]any{"code": "ScanFailed", "message": "internal scan failure"}
		}
		writeJSON(w, 200, body)
	case r.Method == "GET" && strings.HasPrefix(path, "scanResult/"):
		var idx int
		_, _ = fmt.Sscanf(strings.TrimPrefix(path, "scanResult/e7d03602-4873-4760-b37e-"), "%d", &idx)
		var workspaces []map[string]any
		for _, ws := range f.batches[idx] {
			workspaces = append(workspaces, map[string]any{
				"id": ws, "name": "ws " + ws, "type": "Workspace", "state": "Active",
				"reports": []any{}, "dashboards": []any{},
				"datasets": []map[string]any{{
					"id": "ds-" + ws, "name": "Model", "configuredBy": "john@contoso.com", "targetStorageMode": "Abf",
					"tables": []map[string]any{{
						"name": "Sales", "isHidden": false, "description": "Fact table",
						"source":   []map[string]any{{"expression": "let Source = Sql.Database(...) in Source"}},
						"measures": []map[string]any{{"name": "Total", "expression": "SUM(Sales[Amount])", "isHidden": false}},
						"columns": []map[string]any{
							{"name": "Amount", "dataType": "Double", "isHidden": false, "description": "Net amount", "columnType": "Data"},
							{"name": "RowNumber-2662979B-1795-4F74-8F37-6A1BA8059B61", "dataType": "Int64", "isHidden": true},
						},
					}},
				}},
			})
		}
		writeJSON(w, 200, map[string]any{"workspaces": workspaces, "datasourceInstances": []any{}})
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	}
}

func TestScanWorkspacesPollsUntilSucceeded(t *testing.T) {
	fs := &fakeScanner{t: t, runningPolls: 2}
	c, clock := newTestClient(t, fs, nil)
	res, err := c.ScanWorkspaces(context.Background(), []string{"w1", "W1", "", "w2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.batches) != 1 || strings.Join(fs.batches[0], ",") != "w1,w2" {
		t.Errorf("batches = %v (duplicates and empty ids must be dropped)", fs.batches)
	}
	if got := clock.Sleeps(); len(got) != 3 || got[0] != 2*time.Second {
		t.Errorf("sleeps = %v, want three polls at the 2s interval", got)
	}
	if len(res.Workspaces) != 2 {
		t.Fatalf("workspaces = %+v", res.Workspaces)
	}
	ds, ok := res.Dataset("DS-W2") // ids compare case-insensitively
	if !ok || len(ds.Tables) != 1 {
		t.Fatalf("Dataset(ds-w2) = %+v, %v", ds, ok)
	}
	want := ScannedTable{Name: "Sales", Description: "Fact table", Columns: []ScannedColumn{
		{Name: "Amount", DataType: "Double", Description: "Net amount", ColumnType: "Data"},
		{Name: "RowNumber-2662979B-1795-4F74-8F37-6A1BA8059B61", DataType: "Int64", IsHidden: true},
	}}
	got := ds.Tables[0]
	if got.Name != want.Name || got.Description != want.Description || got.IsHidden ||
		len(got.Columns) != 2 || got.Columns[0] != want.Columns[0] || got.Columns[1] != want.Columns[1] {
		t.Errorf("table = %+v", got)
	}
}

func TestScanWorkspacesBatchesByHundred(t *testing.T) {
	fs := &fakeScanner{t: t}
	c, _ := newTestClient(t, fs, nil)
	var ids []string
	for i := range 250 {
		ids = append(ids, fmt.Sprintf("w%03d", i))
	}
	res, err := c.ScanWorkspaces(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.batches) != 3 || len(fs.batches[0]) != 100 || len(fs.batches[1]) != 100 || len(fs.batches[2]) != 50 {
		t.Errorf("batch sizes: %d batches", len(fs.batches))
	}
	if len(res.Workspaces) != 250 {
		t.Errorf("workspaces = %d", len(res.Workspaces))
	}
}

func TestScanWorkspacesWithNoIDsMakesNoCall(t *testing.T) {
	fs := &fakeScanner{t: t}
	c, _ := newTestClient(t, fs, nil)
	res, err := c.ScanWorkspaces(context.Background(), nil)
	if err != nil || len(res.Workspaces) != 0 || len(fs.batches) != 0 {
		t.Fatalf("res=%+v err=%v batches=%d", res, err, len(fs.batches))
	}
}

func TestScanWorkspacesFailures(t *testing.T) {
	t.Run("scan failed", func(t *testing.T) {
		c, _ := newTestClient(t, &fakeScanner{t: t, runningPolls: 1, final: "Failed"}, nil)
		_, err := c.ScanWorkspaces(context.Background(), []string{"w1"})
		if err == nil || !strings.Contains(err.Error(), "failed: ScanFailed: internal scan failure") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("scan stuck running", func(t *testing.T) {
		c, clock := newTestClient(t, &fakeScanner{t: t, runningPolls: 1 << 30}, func(cfg *ClientConfig) {
			cfg.ScanTimeout = 10 * time.Second
		})
		_, err := c.ScanWorkspaces(context.Background(), []string{"w1"})
		if err == nil || !strings.Contains(err.Error(), `still "Running" after 10s`) {
			t.Fatalf("err = %v", err)
		}
		if n := len(clock.Sleeps()); n != 5 {
			t.Errorf("polls = %d, want 5 (10s / 2s)", n)
		}
	})
	t.Run("admin APIs not enabled", func(t *testing.T) {
		c, _ := newTestClient(t, &fakeScanner{t: t, getInfo401: true}, nil)
		_, err := c.ScanWorkspaces(context.Background(), []string{"w1"})
		ae, ok := AsAPIError(err)
		if !ok || ae.StatusCode != 401 {
			t.Fatalf("err = %v", err)
		}
		for _, s := range []string{"start workspace scan (POST /admin/workspaces/getInfo)", `"Service principals can access read-only admin APIs"`, "Enhance admin APIs responses with detailed metadata"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("message lacks %q:\n%s", s, err)
			}
		}
	})
}
