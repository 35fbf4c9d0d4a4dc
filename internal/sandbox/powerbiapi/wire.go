package powerbiapi

import (
	"strings"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Wire types of the user APIs. Property names follow what the live service sends and what
// the Power BI Swagger's own examples show: camelCase throughout (the Swagger's schema
// spells a few dataset properties in PascalCase, e.g. "IsRefreshable"; its examples and
// the live service use "isRefreshable"). The list wrapper uses "@odata.context" as the
// live service does. Arrays are never null.

type group struct {
	ID                          string `json:"id"`
	IsReadOnly                  bool   `json:"isReadOnly"`
	IsOnDedicatedCapacity       bool   `json:"isOnDedicatedCapacity"`
	CapacityID                  string `json:"capacityId,omitempty"`
	DefaultDatasetStorageFormat string `json:"defaultDatasetStorageFormat,omitempty"` // "Small" | "Large", only on dedicated capacity
	Type                        string `json:"type"`
	Name                        string `json:"name"`
}

type groupList struct {
	Context string  `json:"@odata.context"`
	Count   int     `json:"@odata.count"`
	Value   []group `json:"value"`
}

type groupEntity struct {
	Context string `json:"@odata.context"`
	group
}

type dataset struct {
	ID                               string    `json:"id"`
	Name                             string    `json:"name"`
	WebURL                           string    `json:"webUrl"`
	AddRowsAPIEnabled                bool      `json:"addRowsAPIEnabled"`
	ConfiguredBy                     string    `json:"configuredBy,omitempty"`
	IsRefreshable                    bool      `json:"isRefreshable"`
	IsEffectiveIdentityRequired      bool      `json:"isEffectiveIdentityRequired"`
	IsEffectiveIdentityRolesRequired bool      `json:"isEffectiveIdentityRolesRequired"`
	IsOnPremGatewayRequired          bool      `json:"isOnPremGatewayRequired"`
	TargetStorageMode                string    `json:"targetStorageMode,omitempty"`
	CreatedDate                      time.Time `json:"createdDate"`
	CreateReportEmbedURL             string    `json:"createReportEmbedURL"`
	QnaEmbedURL                      string    `json:"qnaEmbedURL"`
	Description                      string    `json:"description,omitempty"`
	UpstreamDataflows                []any     `json:"upstreamDataflows"`
	Users                            []any     `json:"users"`
}

type datasetList struct {
	Context string    `json:"@odata.context"`
	Value   []dataset `json:"value"`
}

type datasetEntity struct {
	Context string `json:"@odata.context"`
	dataset
}

type report struct {
	ID                 string `json:"id"`
	ReportType         string `json:"reportType"`
	Name               string `json:"name"`
	WebURL             string `json:"webUrl"`
	EmbedURL           string `json:"embedUrl"`
	IsFromPbix         bool   `json:"isFromPbix"`
	IsOwnedByMe        bool   `json:"isOwnedByMe"`
	DatasetID          string `json:"datasetId,omitempty"`          // absent for paginated reports without a model
	DatasetWorkspaceID string `json:"datasetWorkspaceId,omitempty"` // the model's workspace, whenever there is a model
	Description        string `json:"description,omitempty"`
	Users              []any  `json:"users"`
	Subscriptions      []any  `json:"subscriptions"`
}

type reportList struct {
	Context string   `json:"@odata.context"`
	Value   []report `json:"value"`
}

type reportEntity struct {
	Context string `json:"@odata.context"`
	report
}

// toGroup renders a workspace as the caller with the given role sees it. Viewers see the
// workspace as read-only.
func toGroup(w tenant.Workspace, role tenant.Role) group {
	g := group{
		ID:                    w.ID,
		IsReadOnly:            role == tenant.RoleViewer,
		IsOnDedicatedCapacity: w.IsOnDedicatedCapacity,
		Type:                  w.Type,
		Name:                  w.Name,
	}
	if w.IsOnDedicatedCapacity {
		g.CapacityID = w.CapacityID
		g.DefaultDatasetStorageFormat = "Small"
	}
	return g
}

func toDataset(workspaceID string, d tenant.Dataset) dataset {
	return dataset{
		ID:                   d.ID,
		Name:                 d.Name,
		WebURL:               tenant.DatasetWebURL(workspaceID, d.ID),
		ConfiguredBy:         d.ConfiguredBy,
		IsRefreshable:        true,
		TargetStorageMode:    d.TargetStorageMode,
		CreatedDate:          d.CreatedDate.UTC(),
		CreateReportEmbedURL: tenant.DatasetCreateReportEmbedURL(workspaceID, d.ID),
		QnaEmbedURL:          tenant.DatasetQnaEmbedURL(workspaceID, d.ID),
		Description:          d.Description,
		UpstreamDataflows:    []any{},
		Users:                []any{},
	}
}

func toReport(workspaceID string, r tenant.Report) report {
	return report{
		ID:                 r.ID,
		ReportType:         r.ReportType,
		Name:               r.Name,
		WebURL:             tenant.ReportWebURL(workspaceID, r),
		EmbedURL:           tenant.ReportEmbedURL(workspaceID, r),
		IsFromPbix:         r.ReportType == tenant.ReportTypePowerBI,
		DatasetID:          r.DatasetID,
		DatasetWorkspaceID: r.DatasetWorkspace(workspaceID),
		Description:        r.Description,
		Users:              []any{},
		Subscriptions:      []any{},
	}
}

func sameID(a, b string) bool { return strings.EqualFold(a, b) }
