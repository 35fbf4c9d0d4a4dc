// Package filterpreview shows what a Power BI integration's filters select,
// read live from Power BI as the integration's service principal, before
// anything is imported.
//
// It owns what the entropydata_powerbi_integration resource and the
// entropydata_powerbi_filter_preview data source share: the filters schema
// and its conversion to the matcher's form, the preview's attributes, the
// reading of the tenant (one powerbi.Discover call, bounded in time and
// retries) and the warnings about patterns that select nothing or that an
// exclude overrides. Selecting always goes through the one matcher in
// internal/powerbi, so a preview cannot disagree with an ingestion run.
package filterpreview
