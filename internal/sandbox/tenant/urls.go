package tenant

// Power BI web URLs are derived, never stored: they are what the real service returns in
// webUrl/embedUrl, so catalog links built from sandbox data look like production ones.

// WebHost is the Power BI service's web front end.
const WebHost = "https://app.powerbi.com"

// WorkspaceWebURL is the web address of a workspace.
func WorkspaceWebURL(workspaceID string) string {
	return WebHost + "/groups/" + workspaceID
}

// DatasetWebURL is the web address of a semantic model.
func DatasetWebURL(workspaceID, datasetID string) string {
	return WorkspaceWebURL(workspaceID) + "/datasets/" + datasetID
}

// ReportWebURL is the web address of a report. Paginated reports live under /rdlreports/.
func ReportWebURL(workspaceID string, r Report) string {
	if r.ReportType == ReportTypePaginated {
		return WorkspaceWebURL(workspaceID) + "/rdlreports/" + r.ID
	}
	return WorkspaceWebURL(workspaceID) + "/reports/" + r.ID
}

// ReportEmbedURL is the embed address of a report (rdlEmbed for paginated reports).
func ReportEmbedURL(workspaceID string, r Report) string {
	page := "reportEmbed"
	if r.ReportType == ReportTypePaginated {
		page = "rdlEmbed"
	}
	return WebHost + "/" + page + "?reportId=" + r.ID + "&groupId=" + workspaceID
}

// DatasetCreateReportEmbedURL and DatasetQnaEmbedURL are the two embed links the datasets
// API returns for a semantic model.
func DatasetCreateReportEmbedURL(workspaceID, datasetID string) string {
	return WebHost + "/reportEmbed?datasetId=" + datasetID + "&groupId=" + workspaceID
}

// DatasetQnaEmbedURL: see DatasetCreateReportEmbedURL.
func DatasetQnaEmbedURL(workspaceID, datasetID string) string {
	return WebHost + "/qnaEmbed?datasetId=" + datasetID + "&groupId=" + workspaceID
}
