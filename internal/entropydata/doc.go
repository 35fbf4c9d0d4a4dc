// Package entropydata is a typed REST client for the Entropy Data API
// (https://api.entropy-data.com/api/...).
//
// It is the only place in the provider that knows URLs, JSON field names and
// status codes: resources and data sources call methods such as
// PutIntegration or GetAsset and get Go values or typed errors back. The
// package deliberately has no terraform-plugin-framework imports so that the
// sandbox and tests can use it too.
//
// Every method goes through one pipeline (Client.do) which:
//   - sends x-api-key, User-Agent and Accept headers, and JSON bodies;
//   - retries 429/502/503/504 and transient network errors with exponential
//     backoff, honouring Retry-After, within MaxRetries and the context deadline;
//   - turns error responses (RFC 7807 problem+json and looser shapes) into
//     *APIError, which matches ErrNotFound, ErrForbidden, ErrConflict,
//     ErrValidation and ErrRunAlreadyRunning with errors.Is;
//   - logs through the tflog subsystem "entropydata", with the API key and any
//     credential secret masked.
//
// List methods follow the API's paging (query parameter p, Link rel="next").
//
// Wire shapes that the public OpenAPI document does not cover (the integration
// write endpoint /api/integrations/ingest/{externalId} and its body, the data
// product type settings) follow the project's design document and live in
// this package only, one file per fact, so adapting to the live API is a
// one-file change; the README lists them ("What the provider assumes about
// the Entropy Data API").
//
// Reads are liberal: a well-formed answer of another shape decodes as far as
// it is understood (lenient.go, integration_config.go, TextMap), and what is
// not understood is reported (Unrecognized) rather than failing. Writes are
// conservative: an integration configuration or data product that was read
// is written back onto the document as returned, in its format, so fields
// the provider does not manage survive (integration_config.go,
// dataproduct_write.go).
package entropydata
