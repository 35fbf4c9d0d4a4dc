package entropydata

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Integrations ingest assets from a source platform on a schedule.
//
// Reads use the documented endpoints under /api/integrations. Writes use
// /api/integrations/ingest/{externalId}, which the public OpenAPI document
// does not describe; its body follows the project's wire contract (see
// IntegrationWrite).

// SourcePowerBI is the Integration.Source this client gives a new Power BI
// integration. INFERRED: the API's source enum also has SourceFabric, and the
// product's wizard entry is "Fabric/Power BI", so a Power BI import made in
// the UI may carry either.
const (
	SourcePowerBI = "powerbi"
	SourceFabric  = "fabric"
)

// ImportsPowerBI reports whether an integration of this source can import
// Power BI workspaces, semantic models and reports.
func ImportsPowerBI(source string) bool { return source == SourcePowerBI || source == SourceFabric }

// CredentialTypeServicePrincipal is the Credential.Type for an Entra ID service principal.
const CredentialTypeServicePrincipal = "service_principal"

// IngestionRun statuses.
const (
	RunRunning   = "RUNNING"
	RunSuccess   = "SUCCESS"
	RunFailed    = "FAILED"
	RunCancelled = "CANCELLED"
)

// PatternFilter selects names: "*" is the only wildcard. It always encodes
// both arrays, as [] when empty, never null.
type PatternFilter struct {
	Include []string `json:"include"`
	Exclude []string `json:"exclude"`
}

// MarshalJSON writes nil lists as [].
func (f PatternFilter) MarshalJSON() ([]byte, error) {
	type wire PatternFilter
	w := wire(f)
	if w.Include == nil {
		w.Include = []string{}
	}
	if w.Exclude == nil {
		w.Exclude = []string{}
	}
	return json.Marshal(w)
}

// IntegrationFilters are the Power BI filters of an integration.
type IntegrationFilters struct {
	Workspaces     PatternFilter
	SemanticModels PatternFilter
	Reports        PatternFilter
}

// IntegrationConfiguration is sent on PUT and returned by GET (without the
// credential). Its wire form is in integration_config.go: reads accept the
// shapes a server may store, and a write starts from the configuration as it
// was read, so keys the provider does not manage survive.
type IntegrationConfiguration struct {
	Source      string // SourcePowerBI for a new integration; an existing one keeps its own
	Name        string
	Description string
	// ScheduleExpression is a 6-field Quartz cron in UTC ("0 0 6 * * ?");
	// nil means manual runs only and is sent as null.
	ScheduleExpression       *string
	AssetOwnerTeamExternalID string
	Filters                  IntegrationFilters

	// Unrecognized lists what the stored configuration holds that the
	// client did not understand, sorted by field.
	Unrecognized []Unrecognized

	// raw is the configuration as the server returned it; nil for one built
	// in Go. MarshalJSON overlays the fields above onto it.
	raw map[string]json.RawMessage
}

// Unrecognized is a part of a stored document that the client could not map
// to its fields, and what a write does with it.
type Unrecognized struct {
	Field   string // e.g. "configuration.filters.databases"
	OnWrite string // e.g. "kept as stored"
}

// ServicePrincipal is a Microsoft Entra ID app registration with a client secret.
type ServicePrincipal struct {
	TenantID     string `json:"tenantId"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

// Credential is write-only: the API never returns it.
type Credential struct {
	Type    string           `json:"type"` // CredentialTypeServicePrincipal
	Details ServicePrincipal `json:"details"`
}

// IntegrationWrite is the body of PUT /api/integrations/ingest/{externalId}.
// The credential is required on create; on update a nil Credential keeps the
// stored one. A nil Enabled leaves the server's default/current value.
type IntegrationWrite struct {
	Configuration IntegrationConfiguration `json:"configuration"`
	Credential    *Credential              `json:"credential,omitempty"`
	Enabled       *bool                    `json:"enabled,omitempty"`
}

// Integration as returned by GET /api/integrations[/{externalId}].
type Integration struct {
	ExternalID string `json:"externalId"`
	Name       string `json:"name"`
	Source     string `json:"source"`
	// Enabled tells whether the schedule is active; disabled integrations can still run manually.
	Enabled                  bool    `json:"enabled"`
	AssetOwnerTeamExternalID *string `json:"assetOwnerTeamExternalId"` // null for org-wide integrations
	// Configuration is only returned by the single-integration GET.
	Configuration *IntegrationConfiguration `json:"configuration,omitempty"`
	// LatestRun may be embedded in list items; absent on other servers, and
	// nil when it has a shape the client does not know.
	LatestRun *IngestionRun `json:"latestRun,omitempty"`
}

// UnmarshalJSON reads the documented fields; a configuration or latest run
// of an unexpected shape never fails the decode (see integration_config.go).
func (in *Integration) UnmarshalJSON(b []byte) error {
	type plain Integration
	var p struct {
		plain
		Configuration json.RawMessage `json:"configuration"`
		LatestRun     json.RawMessage `json:"latestRun"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*in = Integration(p.plain)
	in.Configuration = decodeConfiguration(p.Configuration)
	if len(p.LatestRun) > 0 {
		var run IngestionRun
		if json.Unmarshal(p.LatestRun, &run) == nil && run.Status != "" {
			in.LatestRun = &run
		}
	}
	return nil
}

// IngestionRun is one run of an integration.
type IngestionRun struct {
	ID                    string     `json:"ingestionRunId"`
	IntegrationExternalID string     `json:"integrationExternalId"`
	Status                string     `json:"status"` // RunRunning, RunSuccess, RunFailed, RunCancelled
	Message               *string    `json:"message"`
	AssetsProcessed       int64      `json:"assetsProcessed"`
	AssetsCreated         int64      `json:"assetsCreated"`
	AssetsUpdated         int64      `json:"assetsUpdated"`
	AssetsDeleted         int64      `json:"assetsDeleted"`
	StartedAt             time.Time  `json:"startedAt"`
	CompletedAt           *time.Time `json:"completedAt"` // nil while running
}

// TriggerRunResponse is the 202 answer of POST .../run. The run itself shows
// up in GetLatestRun once the scheduler picks it up.
type TriggerRunResponse struct {
	IntegrationExternalID string    `json:"integrationExternalId"`
	ScheduledAt           time.Time `json:"scheduledAt"`
	// Deferred: the run starts only on the next due-check cycle (~5 minutes).
	Deferred bool   `json:"deferred"`
	Message  string `json:"message"`
}

// ListIntegrationsOptions filters ListIntegrations; zero values do not filter.
type ListIntegrationsOptions struct {
	Source               string
	OwningTeamExternalID string
	Enabled              *bool
}

// ListRunsOptions: Limit 0 => server default (50), values above 200 are capped
// at 200 (the API's maximum). Status filters by run status.
type ListRunsOptions struct {
	Limit  int
	Status string
}

// maxRunsLimit is the API's maximum for the runs list's limit parameter.
const maxRunsLimit = 200

// PutIntegration creates or updates the integration (upsert by externalId).
func (c *Client) PutIntegration(ctx context.Context, externalID string, in IntegrationWrite) error {
	var secrets []string
	if in.Credential != nil {
		secrets = append(secrets, in.Credential.Details.ClientSecret)
	}
	_, err := c.do(ctx, call{
		op: "create or update integration", object: externalID,
		method: http.MethodPut, path: []string{"integrations", "ingest", externalID},
		body: in, secrets: secrets,
	})
	return err
}

// GetIntegration returns the integration with its configuration. A missing
// integration, or one the key cannot see, is ErrNotFound.
func (c *Client) GetIntegration(ctx context.Context, externalID string) (*Integration, error) {
	var out Integration
	_, err := c.do(ctx, call{
		op: "get integration", object: externalID,
		method: http.MethodGet, path: []string{"integrations", externalID}, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteIntegration deletes the integration with its runs and schedule; with
// deleteAssets the assets it ingested are deleted too. A missing integration
// is ErrNotFound (callers deleting should treat that as success).
func (c *Client) DeleteIntegration(ctx context.Context, externalID string, deleteAssets bool) error {
	var q url.Values
	if deleteAssets {
		q = url.Values{"deleteAssets": {"true"}}
	}
	_, err := c.do(ctx, call{
		op: "delete integration", object: externalID,
		method: http.MethodDelete, path: []string{"integrations", "ingest", externalID}, query: q,
	})
	return err
}

// ListIntegrations returns all integrations the key can see (the list is not
// paged). Items carry no Configuration.
func (c *Client) ListIntegrations(ctx context.Context, opts ListIntegrationsOptions) ([]Integration, error) {
	q := url.Values{}
	if opts.Source != "" {
		q.Set("source", opts.Source)
	}
	if opts.OwningTeamExternalID != "" {
		q.Set("owningTeamExternalId", opts.OwningTeamExternalID)
	}
	if opts.Enabled != nil {
		q.Set("enabled", strconv.FormatBool(*opts.Enabled))
	}
	out := []Integration{}
	_, err := c.do(ctx, call{op: "list integrations", method: http.MethodGet, path: []string{"integrations"}, query: q, out: &out})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListRuns returns the integration's runs, most recent first.
func (c *Client) ListRuns(ctx context.Context, externalID string, opts ListRunsOptions) ([]IngestionRun, error) {
	q := url.Values{}
	if opts.Limit > 0 {
		q.Set("limit", strconv.Itoa(min(opts.Limit, maxRunsLimit)))
	}
	if opts.Status != "" {
		q.Set("status", opts.Status)
	}
	out := []IngestionRun{}
	_, err := c.do(ctx, call{
		op: "list runs of integration", object: externalID,
		method: http.MethodGet, path: []string{"integrations", externalID, "runs"}, query: q, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetLatestRun returns the most recent run. ErrNotFound means the integration
// does not exist or has never run.
func (c *Client) GetLatestRun(ctx context.Context, externalID string) (*IngestionRun, error) {
	var out IngestionRun
	_, err := c.do(ctx, call{
		op: "get latest run of integration", object: externalID,
		method: http.MethodGet, path: []string{"integrations", externalID, "runs", "latest"}, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetRun returns one run; ErrNotFound also when it belongs to another integration.
func (c *Client) GetRun(ctx context.Context, externalID, runID string) (*IngestionRun, error) {
	var out IngestionRun
	_, err := c.do(ctx, call{
		op: "get ingestion run", object: externalID + "/" + runID,
		method: http.MethodGet, path: []string{"integrations", externalID, "runs", runID}, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// TriggerRun schedules a manual run (202). If one is already running the
// error matches ErrRunAlreadyRunning (and ErrConflict).
func (c *Client) TriggerRun(ctx context.Context, externalID string) (*TriggerRunResponse, error) {
	var out TriggerRunResponse
	_, err := c.do(ctx, call{
		op: "trigger run of integration", object: externalID,
		method: http.MethodPost, path: []string{"integrations", externalID, "run"}, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelRun asks the running ingestion to stop (204); it ends as RunCancelled.
func (c *Client) CancelRun(ctx context.Context, externalID string) error {
	_, err := c.do(ctx, call{
		op: "cancel run of integration", object: externalID,
		method: http.MethodPost, path: []string{"integrations", externalID, "cancel"},
	})
	return err
}

// IngestionsAvailable probes GET /api/integrations. It returns false (and no
// error) when the server answers 404: a self-hosted server without
// APPLICATION_INGESTIONS_ENABLED=true or without an Enterprise licence.
// Other failures (403 for a bad key, network errors) are returned as errors.
func (c *Client) IngestionsAvailable(ctx context.Context) (bool, error) {
	_, err := c.do(ctx, call{op: "check that integrations are available", method: http.MethodGet, path: []string{"integrations"}})
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}
