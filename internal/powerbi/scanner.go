package powerbi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The admin scanner API is the only way a Viewer service principal can read
// tables and columns: getInfo starts a scan, scanStatus is polled until it
// succeeds, scanResult returns the metadata. It needs the tenant setting
// "Service principals can access read-only admin APIs".

// maxWorkspacesPerScan is the documented limit of one getInfo call.
const maxWorkspacesPerScan = 100

// ScanResult is the part of the scanner's WorkspaceInfoResponse we use.
type ScanResult struct {
	Workspaces []ScannedWorkspace `json:"workspaces"`
}

// ScannedWorkspace is a swagger WorkspaceInfo, reduced to its datasets.
type ScannedWorkspace struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Datasets []ScannedDataset `json:"datasets"`
}

// ScannedDataset is a swagger WorkspaceInfoDataset with its schema.
// SchemaRetrievalError explains an empty Tables list when Power BI could not
// read the model.
type ScannedDataset struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	Tables               []ScannedTable `json:"tables"`
	SchemaRetrievalError string         `json:"schemaRetrievalError,omitempty"`
}

// ScannedTable is a swagger Table (measures and sources are not kept).
type ScannedTable struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	IsHidden    bool            `json:"isHidden"`
	Columns     []ScannedColumn `json:"columns"`
}

// ScannedColumn is a swagger Column. Description and ColumnType (Data,
// Calculated, CalculatedTableColumn) are sent by the scanner although the
// swagger does not list them; both may be empty.
type ScannedColumn struct {
	Name        string `json:"name"`
	DataType    string `json:"dataType"`
	Description string `json:"description,omitempty"`
	IsHidden    bool   `json:"isHidden"`
	ColumnType  string `json:"columnType,omitempty"`
}

// Dataset finds a scanned dataset by id (GUIDs compare case-insensitively).
func (r *ScanResult) Dataset(id string) (*ScannedDataset, bool) {
	for wi := range r.Workspaces {
		for di := range r.Workspaces[wi].Datasets {
			if strings.EqualFold(r.Workspaces[wi].Datasets[di].ID, id) {
				return &r.Workspaces[wi].Datasets[di], true
			}
		}
	}
	return nil, false
}

// scanRequest is the swagger ScanRequest, returned by getInfo and scanStatus.
type scanRequest struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// ScanWorkspaces scans the given workspaces with datasetSchema=true, in
// batches of at most 100, one batch at a time (getInfo allows only 16
// concurrent calls tenant-wide). Duplicate and empty ids are dropped.
func (c *Client) ScanWorkspaces(ctx context.Context, workspaceIDs []string) (*ScanResult, error) {
	ids := uniqueIDs(workspaceIDs)
	result := &ScanResult{}
	for start := 0; start < len(ids); start += maxWorkspacesPerScan {
		end := min(start+maxWorkspacesPerScan, len(ids))
		part, err := c.scanBatch(ctx, ids[start:end])
		if err != nil {
			return nil, err
		}
		result.Workspaces = append(result.Workspaces, part.Workspaces...)
	}
	return result, nil
}

func (c *Client) scanBatch(ctx context.Context, ids []string) (*ScanResult, error) {
	var scan scanRequest
	start := request{op: "start workspace scan", method: "POST", path: "/admin/workspaces/getInfo",
		query: "datasetSchema=true", body: map[string][]string{"workspaces": ids},
		admin: true, accept: []int{http.StatusAccepted, http.StatusOK}}
	if err := c.do(ctx, start, &scan); err != nil {
		return nil, err
	}
	if scan.ID == "" {
		return nil, fmt.Errorf("%s: the response carries no scan id", start.operation())
	}

	began := c.now()
	for !strings.EqualFold(scan.Status, "Succeeded") {
		if strings.EqualFold(scan.Status, "Failed") {
			return nil, scanFailed(scan)
		}
		if elapsed := c.now().Sub(began); elapsed >= c.scanTimeout {
			return nil, fmt.Errorf("Power BI workspace scan %s is still %q after %s; Power BI may be busy, try again later",
				scan.ID, scan.Status, elapsed.Round(time.Second))
		}
		if err := c.sleep(ctx, c.scanPollInterval); err != nil {
			return nil, fmt.Errorf("waiting for Power BI workspace scan %s: %w", scan.ID, err)
		}
		poll := request{op: "get workspace scan status", method: "GET",
			path: "/admin/workspaces/scanStatus/" + url.PathEscape(scan.ID), admin: true}
		id := scan.ID
		scan = scanRequest{}
		if err := c.do(ctx, poll, &scan); err != nil {
			return nil, err
		}
		if scan.ID == "" {
			scan.ID = id
		}
	}

	var out ScanResult
	get := request{op: "get workspace scan result", method: "GET",
		path: "/admin/workspaces/scanResult/" + url.PathEscape(scan.ID), admin: true}
	if err := c.do(ctx, get, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func scanFailed(s scanRequest) error {
	msg := fmt.Sprintf("Power BI workspace scan %s failed", s.ID)
	if s.Error != nil {
		if s.Error.Code != "" {
			msg += ": " + s.Error.Code
		}
		if s.Error.Message != "" {
			msg += ": " + s.Error.Message
		}
	}
	return fmt.Errorf("%s; try again later, and check that metadata scanning is enabled in the Fabric admin portal", msg)
}

// uniqueIDs drops empty and case-insensitively repeated ids, keeping order.
func uniqueIDs(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		key := strings.ToLower(strings.TrimSpace(id))
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, id)
	}
	return out
}
