package entropydata

import "strings"

// How the Power BI integration represents what it imports, as assets. The
// design fixes these; the sandbox's ingestion worker writes them and the
// provider's data sources read them, so both take them from here.
const (
	AssetTypePowerBIWorkspace     = "powerbi_workspace"
	AssetTypePowerBISemanticModel = "powerbi_semantic_model"
	AssetTypePowerBITable         = "powerbi_table"
	AssetTypePowerBIReport        = "powerbi_report"

	// RelationshipParent points from a child to its parent asset (documented);
	// RelationshipUses points from a report to its semantic model.
	RelationshipParent = "parent"
	RelationshipUses   = "uses"

	// Keys of Asset.Custom on imported Power BI assets.
	CustomIntegration       = "integrationExternalId"
	CustomWorkspaceID       = "workspaceId"
	CustomWorkspaceName     = "workspaceName"
	CustomSemanticModelID   = "semanticModelId"
	CustomSemanticModelName = "semanticModelName"
	CustomSemanticModelWS   = "semanticModelWorkspaceId"
	CustomReportType        = "reportType"
	CustomHidden            = "isHidden"

	// ColumnTypeTable marks a semantic model asset's top-level column that
	// stands for one of its tables, its own columns nested in Properties.
	// The model asset thus carries its whole schema, so a reader needs one
	// request per model instead of one per table; the table assets stay,
	// for the catalog's tree and lineage.
	ColumnTypeTable = "table"

	// LinkPowerBI is the Asset.Links key of the object's Power BI web URL.
	LinkPowerBI = "powerbi"
)

// PowerBIAssetID is the asset id of a Power BI workspace, semantic model or
// report with the given Power BI GUID.
func PowerBIAssetID(powerBIID string) string { return "powerbi-" + strings.ToLower(powerBIID) }

// PowerBITableAssetID is the asset id of a table of a semantic model.
func PowerBITableAssetID(modelID, table string) string {
	return PowerBIAssetID(modelID) + "-" + slug(table)
}

// slug keeps letters and digits and turns every other run into one dash.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
