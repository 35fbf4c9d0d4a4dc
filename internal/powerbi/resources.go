package powerbi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Group is a Power BI workspace, as returned by GET /groups (swagger
// "Group"). "type" is not in the swagger but real responses carry it.
type Group struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	Type                  string `json:"type,omitempty"`
	IsReadOnly            bool   `json:"isReadOnly"`
	IsOnDedicatedCapacity bool   `json:"isOnDedicatedCapacity"`
	CapacityID            string `json:"capacityId,omitempty"`
}

// Dataset is a Power BI semantic model (swagger "Dataset", a subset). The
// swagger spells two names in PascalCase (IsRefreshable, CreatedDate) while
// live responses use camelCase; decoding accepts both.
type Dataset struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	Description       string     `json:"description,omitempty"`
	ConfiguredBy      string     `json:"configuredBy,omitempty"`
	WebURL            string     `json:"webUrl,omitempty"`
	IsRefreshable     bool       `json:"isRefreshable"`
	TargetStorageMode string     `json:"targetStorageMode,omitempty"`
	CreatedDate       *time.Time `json:"createdDate,omitempty"`
}

// UnmarshalJSON tolerates the date formats Power BI uses, which do not
// always carry a time zone (those are taken as UTC).
func (d *Dataset) UnmarshalJSON(b []byte) error {
	type plain Dataset
	var aux struct {
		plain
		CreatedDate string `json:"createdDate"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*d = Dataset(aux.plain)
	d.CreatedDate = nil
	if aux.CreatedDate != "" {
		t, err := parsePowerBITime(aux.CreatedDate)
		if err != nil {
			return fmt.Errorf("dataset %s: createdDate: %w", d.ID, err)
		}
		d.CreatedDate = &t
	}
	return nil
}

func parsePowerBITime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised date-time %q", s)
}

// Report is a Power BI report (swagger "Report"). DatasetID is empty for
// paginated reports; DatasetWorkspaceID is set only when the dataset lives
// in another workspace.
type Report struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	WebURL             string `json:"webUrl,omitempty"`
	EmbedURL           string `json:"embedUrl,omitempty"`
	DatasetID          string `json:"datasetId,omitempty"`
	DatasetWorkspaceID string `json:"datasetWorkspaceId,omitempty"`
	ReportType         string `json:"reportType,omitempty"` // PowerBIReport or PaginatedReport
	Description        string `json:"description,omitempty"`
}

// ListGroups returns every workspace the service principal can see. GET
// /groups is paged with $top/$skip; paging stops at a short page or once
// @odata.count items have been read, and items that shift between pages are
// not returned twice.
func (c *Client) ListGroups(ctx context.Context) ([]Group, error) {
	size := c.groupsPageSize
	var all []Group
	seen := map[string]bool{}
	for skip := 0; ; skip += size {
		var page struct {
			Count *int    `json:"@odata.count"`
			Value []Group `json:"value"`
		}
		r := request{op: "list workspaces", method: "GET", path: "/groups",
			query: fmt.Sprintf("$top=%d&$skip=%d", size, skip)}
		if err := c.do(ctx, r, &page); err != nil {
			return nil, err
		}
		added := 0
		for _, g := range page.Value {
			key := strings.ToLower(g.ID)
			if !seen[key] {
				seen[key] = true
				all = append(all, g)
				added++
			}
		}
		switch {
		case len(page.Value) < size:
			return all, nil
		case page.Count != nil && skip+len(page.Value) >= *page.Count:
			return all, nil
		case added == 0:
			// A full page of items we already had: the server ignores
			// $skip. Stop rather than loop forever.
			return all, nil
		}
	}
}

// ListDatasets returns the semantic models of one workspace (not paged).
func (c *Client) ListDatasets(ctx context.Context, groupID string) ([]Dataset, error) {
	var out struct {
		Value []Dataset `json:"value"`
	}
	r := request{op: "list semantic models", method: "GET", path: "/groups/" + url.PathEscape(groupID) + "/datasets"}
	if err := c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// ListReports returns the reports of one workspace (not paged).
func (c *Client) ListReports(ctx context.Context, groupID string) ([]Report, error) {
	var out struct {
		Value []Report `json:"value"`
	}
	r := request{op: "list reports", method: "GET", path: "/groups/" + url.PathEscape(groupID) + "/reports"}
	if err := c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}
