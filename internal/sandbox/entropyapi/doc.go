// Package entropyapi emulates the Entropy Data REST API for the sandbox.
//
// It serves what the provider uses: integrations and their ingestion runs, assets, data products
// (DPS 0.0.1), access, teams, data product types and test results, with the published API's
// status codes, RFC 7807 problem bodies, `p` paging with `Link: rel="next"`, and x-api-key or
// Bearer authentication. It only keeps state and answers HTTP: the glue (internal/sandbox) wraps
// the handler with fault injection and TLS and supplies the ingestion worker as Options.Ingest.
// The Go-level methods (UpsertAsset, TriggerRun, Snapshot, ...) give the worker, the glue and tests
// direct access; every method is safe for concurrent use.
//
// Where to look: server.go (options, auth, the route table), router.go, problem.go (errors and
// JSON), paging.go, state.go (the store), then one file per area.
//
// Documented endpoints answer exactly as the OpenAPI document says: bodies validate against its
// schemas (the document is OpenAPI 3.1, where `nullable` has no effect, so absent values are
// omitted rather than null), and successful writes answer the documented status with the
// documented (usually empty) body. Where the document is silent, the choice is marked INFERRED
// next to the code. The statuses the document does not list for an endpoint are:
//   - 403 for a missing or unknown key (on every endpoint) and for a team-scoped key acting on
//     another team's object (also access approve/reject/cancel);
//   - 400 for malformed JSON, wrong JSON types, missing required fields (with violations) and bad
//     query parameters; 413 for bodies over 10 MiB;
//   - 404 for DELETE of an unknown asset and for the runs of an unknown integration;
//   - 422 for access PUTs naming missing products, ports or teams, for a team PUT naming an unknown
//     parent, and for approve/reject/cancel
//     transitions that are not allowed (e.g. approving a rejected access);
//   - 404 for every /api/integrations/** path when Options.IngestionsDisabled is set.
package entropyapi
