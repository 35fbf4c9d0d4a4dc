package tenant

import "time"

// Role is a service principal's role in a Power BI workspace.
type Role string

// The four workspace roles Power BI knows. Any of them lets a principal list the
// workspace and read its semantic models and reports through the user APIs.
const (
	RoleAdmin       Role = "Admin"
	RoleMember      Role = "Member"
	RoleContributor Role = "Contributor"
	RoleViewer      Role = "Viewer"
)

// Valid reports whether r is one of the four workspace roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleMember, RoleContributor, RoleViewer:
		return true
	}
	return false
}

// Report types, as the Power BI API spells them.
const (
	ReportTypePowerBI   = "PowerBIReport"
	ReportTypePaginated = "PaginatedReport"
)

// WorkspaceTypeWorkspace is the only workspace type the sandbox models (no personal workspaces).
const WorkspaceTypeWorkspace = "Workspace"

// Column data types the Power BI admin scanner reports. The list is what tests and
// Validate accept; Power BI itself may report others (e.g. "Variant").
var DataTypes = []string{"String", "Int64", "Double", "Decimal", "DateTime", "Boolean", "Binary"}

// Column types the scanner reports in columnType.
var ColumnTypes = []string{"Data", "Calculated", "CalculatedTableColumn", "RowNumber"}

// Settings are the Fabric admin-portal tenant switches that gate what a service principal
// may call. Each maps to one documented switch.
type Settings struct {
	// "Service principals can use Fabric APIs": off => every Power BI call answers 401.
	ServicePrincipalsCanUseAPIs bool `json:"servicePrincipalsCanUseApis"`
	// "Service principals can access read-only admin APIs": off => the admin scanner answers 401.
	ServicePrincipalsCanUseReadOnlyAdminAPIs bool `json:"servicePrincipalsCanUseReadOnlyAdminApis"`
	// "Enhance admin APIs responses with detailed metadata": off => scan results carry no tables.
	DetailedMetadata bool `json:"detailedMetadata"`
	// "Enhance admin APIs responses with DAX and mashup expressions": off => no table sources.
	DAXAndMashupExpressions bool `json:"daxAndMashupExpressions,omitempty"`
}

// App is an Entra ID app registration (its service principal) in the tenant.
type App struct {
	ClientID    string   `json:"clientId"`
	DisplayName string   `json:"displayName"`
	Secrets     []string `json:"secrets"` // any of them authenticates; plain text, this is a sandbox
	Disabled    bool     `json:"disabled,omitempty"`
}

// Workspace is a Power BI workspace ("group" in the REST API).
type Workspace struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	Description           string `json:"description,omitempty"`
	Type                  string `json:"type"` // always "Workspace"
	IsOnDedicatedCapacity bool   `json:"isOnDedicatedCapacity"`
	CapacityID            string `json:"capacityId,omitempty"` // set when IsOnDedicatedCapacity
	// Roles maps an app's client ID to its role here. A principal without an entry cannot
	// see the workspace through the user APIs (the admin scanner still can).
	Roles    map[string]Role `json:"roles"`
	Datasets []Dataset       `json:"datasets"`
	Reports  []Report        `json:"reports"`
}

// Dataset is a semantic model (the REST API still says "dataset").
type Dataset struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	Description       string    `json:"description,omitempty"`
	ConfiguredBy      string    `json:"configuredBy"`
	TargetStorageMode string    `json:"targetStorageMode"` // e.g. "Abf", "PremiumFiles"
	CreatedDate       time.Time `json:"createdDate"`
	Tables            []Table   `json:"tables"`
}

// Table is a table of a semantic model, as the admin scanner describes it.
type Table struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	IsHidden    bool      `json:"isHidden,omitempty"`
	Source      string    `json:"source,omitempty"` // Power Query (M) expression; scanner shows it only with datasetExpressions
	Columns     []Column  `json:"columns"`
	Measures    []Measure `json:"measures,omitempty"`
}

// Column is a column of a Table.
type Column struct {
	Name        string `json:"name"`
	DataType    string `json:"dataType"` // one of DataTypes
	Description string `json:"description,omitempty"`
	IsHidden    bool   `json:"isHidden,omitempty"`
	ColumnType  string `json:"columnType,omitempty"` // one of ColumnTypes; empty means "Data"
	Expression  string `json:"expression,omitempty"` // DAX, for calculated columns
}

// Measure is a DAX measure of a Table.
type Measure struct {
	Name        string `json:"name"`
	Expression  string `json:"expression"`
	Description string `json:"description,omitempty"`
	IsHidden    bool   `json:"isHidden,omitempty"`
}

// Report is a Power BI or paginated report.
type Report struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ReportType  string `json:"reportType"` // ReportTypePowerBI or ReportTypePaginated
	// DatasetID is the semantic model the report is bound to; empty for a paginated
	// report without one.
	DatasetID string `json:"datasetId,omitempty"`
	// DatasetWorkspaceID is the workspace holding DatasetID when it is not the report's
	// own workspace; empty means "same workspace".
	DatasetWorkspaceID string `json:"datasetWorkspaceId,omitempty"`
}

// DatasetWorkspace returns the workspace that holds the report's semantic model, given the
// report's own workspace, or "" when the report has no semantic model.
func (r Report) DatasetWorkspace(ownWorkspaceID string) string {
	switch {
	case r.DatasetID == "":
		return ""
	case r.DatasetWorkspaceID != "":
		return r.DatasetWorkspaceID
	default:
		return ownWorkspaceID
	}
}

// Stats counts the assets in a tenant.
type Stats struct {
	Workspaces, Datasets, Tables, Columns, Reports int
}
