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
// this package only, so adapting to the live API is a one-package change.
package entropydata
