// Package powerbi talks to Microsoft Entra ID and the Power BI REST API on
// behalf of a service principal, and holds the one filter matcher the whole
// product uses.
//
// It is shared by the Terraform provider (credential checks, plan-time
// previews, data sources) and by the sandbox's ingestion worker, so it must
// not import the Terraform plugin framework.
//
// Where things live:
//
//	token.go      MSAL confidential client wrapped as a TokenSource
//	autherror.go  Entra ID (AADSTS) errors turned into actionable messages
//	client.go     the REST client: configuration, requests, bearer tokens
//	retry.go      retry policy: 429/5xx, Retry-After, backoff, deadlines
//	errors.go     Power BI error bodies turned into actionable messages
//	resources.go  workspaces (groups), semantic models (datasets), reports
//	scanner.go    admin scanner API for tables and columns
//	match.go      the `*` wildcard filter matcher and pattern validation
//	discover.go   "what do these filters select?" for previews and ingestion
package powerbi
