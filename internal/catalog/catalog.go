// Package catalog reads the Power BI semantic models and reports that an
// integration imported into the Entropy Data catalog, as typed values. The
// data sources and the data product resource use it; it knows the asset wire
// contract only through internal/entropydata and matches names only through
// internal/powerbi's matcher, and it has no Terraform framework imports.
//
// Reads are frugal: the asset list is walked once (its bodies carry id and
// info only), candidates are kept by type, name pattern and, where the list
// gives it away, workspace; then only the candidates are fetched in full
// (with bounded concurrency) to check the integration and the workspace, and
// only the tables of matching models are fetched. The request count grows
// with the number of matches, not with the size of the catalog.
package catalog

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// DefaultConcurrency is how many assets a Reader fetches at once by default.
const DefaultConcurrency = 16

// Query selects imported Power BI assets. Zero fields select everything.
// Patterns follow powerbi.MatchPattern: `*` is the only wildcard, a pattern
// matches the whole name case-insensitively, and a GUID matches the id.
type Query struct {
	// Integration is the external id of the integration that imported the
	// asset, matched exactly; "" means any integration.
	Integration string
	// Workspace is a pattern for the workspace's name, or its GUID; "" means any.
	Workspace string
	// Name is a pattern for the asset's name, or its GUID; "" means any.
	Name string
	// Tables asks for the tables and columns of semantic models too, which
	// may cost a request per table; without it, SemanticModels leaves
	// Tables empty (reports ignore it).
	Tables bool
}

// String describes the query for messages, e.g.
// `name "Revenue*", workspace "Finance", integration "finance-powerbi"`.
func (q Query) String() string {
	var parts []string
	for _, f := range []struct{ label, value string }{
		{"name", q.Name}, {"workspace", q.Workspace}, {"integration", q.Integration},
	} {
		if f.value != "" {
			parts = append(parts, fmt.Sprintf("%s %q", f.label, f.value))
		}
	}
	if len(parts) == 0 {
		return "no filters"
	}
	return strings.Join(parts, ", ")
}

func (q Query) validate() error {
	var errs []error
	for _, f := range []struct{ label, pattern string }{{"name", q.Name}, {"workspace", q.Workspace}} {
		if f.pattern == "" {
			continue
		}
		if err := powerbi.ValidatePattern(f.pattern); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.label, err))
		}
	}
	return errors.Join(errs...)
}

// matchesWorkspace applies the workspace pattern to an asset's workspace.
func (q Query) matchesWorkspace(name, id string) bool {
	return q.Workspace == "" || powerbi.MatchPattern(q.Workspace, name, id)
}

// matchesName applies the name pattern to an asset's name and Power BI id.
func (q Query) matchesName(name, id string) bool {
	return q.Name == "" || powerbi.MatchPattern(q.Name, name, id)
}

// matchesImport applies the integration and workspace parts of q, which
// only the full asset (its custom map) can answer.
func (q Query) matchesImport(a *entropydata.Asset) bool {
	return (q.Integration == "" || customString(a.Custom, entropydata.CustomIntegration) == q.Integration) &&
		q.matchesWorkspace(customString(a.Custom, entropydata.CustomWorkspaceName), customString(a.Custom, entropydata.CustomWorkspaceID))
}

// Column is a column of a semantic model's table.
type Column struct {
	Name, DataType, Description string // DataType is Power BI's, e.g. String, Int64, Decimal, DateTime
	Hidden                      bool
}

// Table is a table of a semantic model, with its columns in model order.
type Table struct {
	AssetID, Name, Description string
	Hidden                     bool
	Columns                    []Column
}

// SemanticModel is an imported Power BI semantic model, with its tables
// sorted by name. The fields before Tables are those of Summary.
type SemanticModel struct {
	AssetID       string // asset id in Entropy Data: powerbi-<GUID>
	PowerBIID     string // GUID in Power BI
	Name          string
	Description   string
	WorkspaceID   string // GUID of the Power BI workspace
	WorkspaceName string
	WebURL        string // address in the Power BI web app
	Integration   string // external id of the integration that imported it
	OwnerTeam     string // team owning the asset; "" for organization-wide integrations
	Tables        []Table

	// tablesKnown is set when the model asset itself carried its schema, so
	// the table assets need not be fetched.
	tablesKnown bool
}

// Report is an imported Power BI report. The fields before ReportType are
// those of Summary.
type Report struct {
	AssetID       string
	PowerBIID     string
	Name          string
	Description   string
	WorkspaceID   string
	WorkspaceName string
	WebURL        string
	Integration   string
	OwnerTeam     string
	ReportType    string // PowerBIReport or PaginatedReport
	// SemanticModelAssetID is the asset id of the model the report uses,
	// possibly in another workspace; "" for a paginated report without one.
	SemanticModelAssetID string
	// SemanticModelName is "" also when the model was not imported.
	SemanticModelName string
}

// Summary is what semantic models and reports have in common, so callers
// can treat both alike (listing matches, sorting, messages).
type Summary struct {
	AssetID, PowerBIID, Name, Description, WorkspaceID, WorkspaceName, WebURL, Integration, OwnerTeam string
}

// Summary returns the fields the model shares with reports.
func (m *SemanticModel) Summary() Summary { return collect(m.common()) }

// Summary returns the fields the report shares with semantic models.
func (r *Report) Summary() Summary { return collect(r.common()) }

// common points at the shared fields, so one function fills them from an
// asset and one reads them back, for both kinds.
type common struct {
	assetID, powerBIID, name, description, workspaceID, workspaceName, webURL, integration, ownerTeam *string
}

func (m *SemanticModel) common() common {
	return common{&m.AssetID, &m.PowerBIID, &m.Name, &m.Description, &m.WorkspaceID, &m.WorkspaceName, &m.WebURL, &m.Integration, &m.OwnerTeam}
}

func (r *Report) common() common {
	return common{&r.AssetID, &r.PowerBIID, &r.Name, &r.Description, &r.WorkspaceID, &r.WorkspaceName, &r.WebURL, &r.Integration, &r.OwnerTeam}
}

func collect(c common) Summary {
	return Summary{*c.assetID, *c.powerBIID, *c.name, *c.description, *c.workspaceID, *c.workspaceName, *c.webURL, *c.integration, *c.ownerTeam}
}

// fill copies the shared fields from an imported asset.
func (c common) fill(a *entropydata.Asset) {
	*c.assetID = a.ID
	*c.powerBIID = cmp.Or(a.Info.SourceID, strings.TrimPrefix(a.ID, entropydata.PowerBIAssetID("")))
	*c.name = a.Info.Name
	*c.description = a.Info.Description
	*c.workspaceID = customString(a.Custom, entropydata.CustomWorkspaceID)
	*c.workspaceName = customString(a.Custom, entropydata.CustomWorkspaceName)
	*c.webURL = cmp.Or(a.Links[entropydata.LinkPowerBI], a.Info.SourceURL)
	*c.integration = customString(a.Custom, entropydata.CustomIntegration)
	*c.ownerTeam = a.Info.Owner
}

// Compare orders by workspace name, then name (both case-insensitively,
// then exactly), then asset id: a total order, so results never churn.
func Compare(a, b Summary) int {
	return cmp.Or(
		cmp.Compare(strings.ToLower(a.WorkspaceName), strings.ToLower(b.WorkspaceName)),
		cmp.Compare(a.WorkspaceName, b.WorkspaceName),
		cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.AssetID, b.AssetID),
	)
}

// ErrAssetNotFound: no asset has the given id.
var ErrAssetNotFound = errors.New("asset not found")

// WrongKindError: the asset exists but is not of the kind asked for. Want
// and Got are asset types such as entropydata.AssetTypePowerBIReport.
type WrongKindError struct {
	AssetID, Want, Got string
}

func (e *WrongKindError) Error() string {
	return fmt.Sprintf("the asset %q is %s, not %s", e.AssetID, withArticle(KindName(e.Got)), withArticle(KindName(e.Want)))
}

// KindName names an asset type for people: "Power BI report" for
// powerbi_report; other types as they are, e.g. `asset of type "unity_table"`.
func KindName(assetType string) string {
	switch assetType {
	case entropydata.AssetTypePowerBISemanticModel:
		return "Power BI semantic model"
	case entropydata.AssetTypePowerBIReport:
		return "Power BI report"
	case entropydata.AssetTypePowerBIWorkspace:
		return "Power BI workspace"
	case entropydata.AssetTypePowerBITable:
		return "Power BI table"
	case "":
		return "asset without a type"
	}
	return fmt.Sprintf("asset of type %q", assetType)
}

func withArticle(s string) string {
	if strings.HasPrefix(s, "asset") {
		return "an " + s
	}
	return "a " + s
}

// customString reads a string value of an asset's custom map; other JSON
// values are formatted, absent ones are "".
func customString(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// customBool reads a boolean custom value, which may arrive as a JSON
// boolean or as the string "true".
func customBool(m map[string]any, key string) bool {
	switch v := m[key].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}
