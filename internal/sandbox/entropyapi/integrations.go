package entropyapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Integrations ("asset imports") are keyed by a user-chosen externalId. The API document covers the
// reads and the run/cancel operations under /api/integrations; the CLI writes them with PUT and
// DELETE under /api/integrations/ingest, and the design's wire contract fixes the PUT body:
//
//	{"configuration": {"source": "powerbi", "name", "description", "scheduleExpression",
//	                   "assetOwnerTeamExternalId", "filters": {"workspaces": {"include", "exclude"},
//	                   "semanticModels": {...}, "reports": {...}}},
//	 "credential": {"type": "service_principal", "details": {"tenantId", "clientId", "clientSecret"}},
//	 "enabled": true}
//
// GET returns the configuration (with its externalId, as the CLI's fixtures show) and never the
// credential.

// IntegrationSources is the API document's Integration.source enum.
var IntegrationSources = []string{"snowflake", "databricks", "bigquery", "postgres", "mysql", "mariadb", "mssql", "glue", "alation", "fabric", "powerbi"}

// CredentialTypeServicePrincipal is the Power BI credential type of the wire contract.
const CredentialTypeServicePrincipal = "service_principal"

// IntegrationRecord is a stored integration, including its credential.
type IntegrationRecord struct {
	ExternalID    string                   `json:"externalId"`
	Enabled       bool                     `json:"enabled"` // whether the schedule runs; manual runs work either way
	Configuration IntegrationConfiguration `json:"configuration"`
	Credential    *Credential              `json:"credential,omitempty"`
	CreatedAt     time.Time                `json:"createdAt"`
	UpdatedAt     time.Time                `json:"updatedAt"`
}

// Name is configuration.name.
func (r IntegrationRecord) Name() string { return r.Configuration.Name }

// Source is configuration.source.
func (r IntegrationRecord) Source() string { return r.Configuration.Source }

// OwnerTeam is configuration.assetOwnerTeamExternalId ("" for an org-wide integration).
func (r IntegrationRecord) OwnerTeam() string { return r.Configuration.AssetOwnerTeamExternalID }

// IntegrationConfiguration is the integration's configuration (credentials excluded).
//
// Like a real server, the sandbox stores a well-formed configuration as it is given and returns it
// as stored: keys it does not know (e.g. Snowflake's filters.databases, or an option set in the
// UI) are kept in Extra, and a filter given as a flat list of patterns stays a flat list.
type IntegrationConfiguration struct {
	// ExternalID is only set in GET responses (the CLI's fixtures show it inside configuration); a
	// PUT may send it, but then it must equal the path.
	ExternalID  string `json:"externalId,omitempty"`
	Source      string `json:"source"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// ScheduleExpression is a Quartz cron with a seconds field, in UTC ("0 0 6 * * ?"); nil means
	// manual runs only (returned as null).
	ScheduleExpression       *string                    `json:"scheduleExpression"`
	AssetOwnerTeamExternalID string                     `json:"assetOwnerTeamExternalId,omitempty"`
	Filters                  *IntegrationFilters        `json:"filters,omitempty"`
	Extra                    map[string]json.RawMessage `json:"-"`
}

// IntegrationFilters selects what a Power BI integration imports.
type IntegrationFilters struct {
	Workspaces     *PatternFilter             `json:"workspaces,omitempty"`
	SemanticModels *PatternFilter             `json:"semanticModels,omitempty"`
	Reports        *PatternFilter             `json:"reports,omitempty"`
	Extra          map[string]json.RawMessage `json:"-"`
}

// PatternFilter is an include/exclude pair of name patterns. On the wire it is an object
// {"include", "exclude"} (other keys kept in Extra), or a flat list of patterns, which means
// include (Flat; the form of the only public configuration sample); it is returned in the form it
// was given.
type PatternFilter struct {
	Include []string                   `json:"include,omitempty"`
	Exclude []string                   `json:"exclude,omitempty"`
	Flat    bool                       `json:"-"`
	Extra   map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the filter in the form it was given.
func (f PatternFilter) MarshalJSON() ([]byte, error) {
	if f.Flat && len(f.Exclude) == 0 && len(f.Extra) == 0 {
		if f.Include == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(f.Include)
	}
	type plain PatternFilter
	return marshalWithExtra(plain(f), f.Extra)
}

// UnmarshalJSON accepts the object form and the flat list form.
func (f *PatternFilter) UnmarshalJSON(b []byte) error {
	var list []string
	if json.Unmarshal(b, &list) == nil {
		*f = PatternFilter{Include: list, Flat: true}
		return nil
	}
	type plain PatternFilter
	var p plain
	extra, err := unmarshalWithExtra(b, &p, "include", "exclude")
	if err != nil {
		return err
	}
	*f = PatternFilter(p)
	f.Extra = extra
	return nil
}

// Credential is the write-only secret part of an integration.
type Credential struct {
	Type    string            `json:"type"`
	Details map[string]string `json:"details,omitempty"`
}

// MarshalJSON merges Extra into the known fields (known fields win).
func (c IntegrationConfiguration) MarshalJSON() ([]byte, error) {
	type plain IntegrationConfiguration
	return marshalWithExtra(plain(c), c.Extra)
}

// UnmarshalJSON keeps the keys it does not know in Extra.
func (c *IntegrationConfiguration) UnmarshalJSON(b []byte) error {
	type plain IntegrationConfiguration
	var p plain
	extra, err := unmarshalWithExtra(b, &p, "externalId", "source", "name", "description", "scheduleExpression", "assetOwnerTeamExternalId", "filters")
	if err != nil {
		return err
	}
	*c = IntegrationConfiguration(p)
	c.Extra = extra
	return nil
}

// MarshalJSON merges Extra into the known fields (known fields win).
func (f IntegrationFilters) MarshalJSON() ([]byte, error) {
	type plain IntegrationFilters
	return marshalWithExtra(plain(f), f.Extra)
}

// UnmarshalJSON keeps the keys it does not know in Extra.
func (f *IntegrationFilters) UnmarshalJSON(b []byte) error {
	type plain IntegrationFilters
	var p plain
	extra, err := unmarshalWithExtra(b, &p, "workspaces", "semanticModels", "reports")
	if err != nil {
		return err
	}
	*f = IntegrationFilters(p)
	f.Extra = extra
	return nil
}

func marshalWithExtra(known any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(known)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range extra {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

func unmarshalWithExtra(b []byte, known any, knownKeys ...string) (map[string]json.RawMessage, error) {
	if err := json.Unmarshal(b, known); err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, err
	}
	for _, k := range knownKeys {
		delete(m, k)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// integrationView is the API document's Integration schema. Absent values are omitted rather than
// null: the document is OpenAPI 3.1, where `nullable` has no effect, so null would not validate.
type integrationView struct {
	ExternalID               string                    `json:"externalId"`
	Name                     string                    `json:"name"`
	Source                   string                    `json:"source"`
	Enabled                  bool                      `json:"enabled"`
	AssetOwnerTeamExternalID string                    `json:"assetOwnerTeamExternalId,omitempty"`
	Configuration            *IntegrationConfiguration `json:"configuration,omitempty"`
}

// integrationListItem adds the embedded latest run (INFERRED name, from the CLI's latestRun.status
// column; the list is documented as "each with the most recent ingestion run embedded").
type integrationListItem struct {
	integrationView
	LatestRun *IngestionRun `json:"latestRun"`
}

func viewOf(rec IntegrationRecord, withConfiguration bool) integrationView {
	v := integrationView{ExternalID: rec.ExternalID, Name: rec.Name(), Source: rec.Source(), Enabled: rec.Enabled, AssetOwnerTeamExternalID: rec.OwnerTeam()}
	if withConfiguration {
		cfg := clone(rec.Configuration)
		cfg.ExternalID = rec.ExternalID
		v.Configuration = &cfg
	}
	return v
}

// Integration returns the stored integration, credential included.
func (s *Server) Integration(externalID string) (IntegrationRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.integrations[externalID]
	if !ok {
		return IntegrationRecord{}, false
	}
	return clone(r.v), true
}

// Integrations returns all integrations in creation order, credentials included.
func (s *Server) Integrations() []IntegrationRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(ordered(s.st.integrations))
}

// EditIntegration changes a stored integration out of band, like a user editing it in the UI;
// the externalId cannot change. No validation runs.
func (s *Server) EditIntegration(externalID string, fn func(*IntegrationRecord)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.integrations[externalID]
	if !ok {
		return notFound("Integration '%s' not found.", externalID)
	}
	edited := clone(r.v)
	fn(&edited)
	edited = clone(edited)
	edited.ExternalID = externalID
	edited.UpdatedAt = s.now()
	r.v = edited
	return nil
}

// PutIntegration creates or updates an integration with the same rules as
// PUT /api/integrations/ingest/{externalId}, as an organization owner. enabled nil means "true on
// create, unchanged on update"; credential nil keeps the stored one.
func (s *Server) PutIntegration(externalID string, cfg IntegrationConfiguration, credential *Credential, enabled *bool) (IntegrationRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body := integrationPut{Configuration: &cfg, Credential: credential, Enabled: enabled}
	return s.putIntegrationLocked(Principal{Name: "go", OrgOwner: true}, externalID, clone(body))
}

// integrationPut is the PUT body of the wire contract.
type integrationPut struct {
	Configuration *IntegrationConfiguration `json:"configuration"`
	Credential    *Credential               `json:"credential"`
	Enabled       *bool                     `json:"enabled"`
}

func (s *Server) integrationOr404(id string) (*rec[IntegrationRecord], error) {
	r, ok := s.st.integrations[id]
	if !ok {
		return nil, notFound("Integration '%s' not found, or the API key cannot see it.", id)
	}
	return r, nil
}

func (s *Server) listIntegrations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	source, team := q.Get("source"), q.Get("owningTeamExternalId")
	if source != "" && !slices.Contains(IntegrationSources, source) {
		return badRequest("Query parameter 'source' must be one of %s, got %q.", strings.Join(IntegrationSources, ", "), source)
	}
	enabled, err := boolParam(r, "enabled")
	if err != nil {
		return err
	}
	s.mu.Lock()
	items := []integrationListItem{}
	for _, rec := range ordered(s.st.integrations) {
		if (source != "" && rec.Source() != source) || (team != "" && rec.OwnerTeam() != team) || (enabled != nil && rec.Enabled != *enabled) {
			continue
		}
		item := integrationListItem{integrationView: viewOf(rec, false)}
		if runs := s.runsOfLocked(rec.ExternalID); len(runs) > 0 {
			item.LatestRun = &runs[0]
		}
		items = append(items, item)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, items)
	return nil
}

func (s *Server) getIntegration(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	rec, err := s.integrationOr404(r.PathValue("externalId"))
	var v integrationView
	if err == nil {
		v = viewOf(rec.v, true)
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// putIntegration answers 200 with the integration as GET returns it, on create and on update.
func (s *Server) putIntegration(w http.ResponseWriter, r *http.Request) error {
	var body integrationPut
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	s.mu.Lock()
	rec, err := s.putIntegrationLocked(principalOf(r), r.PathValue("externalId"), body)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewOf(rec, true))
	return nil
}

func (s *Server) putIntegrationLocked(p Principal, id string, body integrationPut) (IntegrationRecord, error) {
	cfg := body.Configuration
	// 400: what bean validation of the body would reject.
	var vs violations
	if cfg == nil {
		vs.add("configuration", "must not be null")
	} else {
		if strings.TrimSpace(cfg.Name) == "" {
			vs.add("configuration.name", "must not be blank")
		}
		if strings.TrimSpace(cfg.Source) == "" {
			vs.add("configuration.source", "must not be blank")
		}
		if cfg.ScheduleExpression != nil && strings.TrimSpace(*cfg.ScheduleExpression) == "" {
			cfg.ScheduleExpression = nil
		}
		if cfg.ScheduleExpression != nil {
			if msg := checkQuartz(*cfg.ScheduleExpression); msg != "" {
				vs.add("configuration.scheduleExpression", msg)
			}
		}
		if f := cfg.Filters; f != nil {
			for name, pf := range map[string]*PatternFilter{"workspaces": f.Workspaces, "semanticModels": f.SemanticModels, "reports": f.Reports} {
				if pf == nil {
					continue
				}
				for kind, patterns := range map[string][]string{"include": pf.Include, "exclude": pf.Exclude} {
					for i, pat := range patterns {
						if strings.TrimSpace(pat) == "" {
							vs.add(fmt.Sprintf("configuration.filters.%s.%s[%d]", name, kind, i), "must not be blank")
						}
					}
				}
			}
		}
	}
	if body.Credential != nil && strings.TrimSpace(body.Credential.Type) == "" {
		vs.add("credential.type", "must not be blank")
	}
	if err := vs.err(); err != nil {
		return IntegrationRecord{}, err
	}

	// 422: the request is well-formed but cannot be applied.
	switch {
	case len(id) > 256:
		return IntegrationRecord{}, unprocessable("The externalId must be at most 256 characters.")
	case id == "ingest":
		return IntegrationRecord{}, unprocessable("The externalId 'ingest' is reserved: /api/integrations/ingest is the integrations collection.")
	case cfg.ExternalID != "" && cfg.ExternalID != id:
		return IntegrationRecord{}, unprocessable("configuration.externalId '%s' must be same as the path parameter '%s'.", cfg.ExternalID, id)
	case !slices.Contains(IntegrationSources, cfg.Source):
		return IntegrationRecord{}, unprocessable("Unknown integration source '%s'; supported sources: %s.", cfg.Source, strings.Join(IntegrationSources, ", "))
	}
	old, exists := s.st.integrations[id]
	newOwner := cfg.AssetOwnerTeamExternalID
	if !mayActForTeam(p, newOwner) || (exists && !mayActForTeam(p, old.v.OwnerTeam())) {
		return IntegrationRecord{}, forbidden("The API key (team '%s') lacks INGESTION_EDIT for integration '%s' (owning team '%s').", p.Team, id, firstNonEmpty(ownerOf(old), newOwner))
	}
	if exists && old.v.Source() != cfg.Source {
		return IntegrationRecord{}, unprocessable("The source of an existing integration cannot change (integration '%s' is '%s', not '%s').", id, old.v.Source(), cfg.Source)
	}
	if newOwner != "" {
		if _, ok := s.st.teams[newOwner]; !ok {
			return IntegrationRecord{}, unprocessable("The asset owner team '%s' does not exist.", newOwner)
		}
	}

	cred := body.Credential
	switch {
	case cred == nil && !exists:
		return IntegrationRecord{}, unprocessable("A credential is required when creating integration '%s'.", id)
	case cred == nil:
		cred = old.v.Credential
	case exists && old.v.Credential != nil && old.v.Credential.Type == cred.Type:
		cred = mergeSecrets(old.v.Credential, cred)
	}
	if cfg.Source == "powerbi" {
		if err := checkPowerBICredential(cred); err != nil {
			return IntegrationRecord{}, err
		}
	}

	if s.opts.UniqueIntegrationNames {
		for _, other := range ordered(s.st.integrations) {
			if other.ExternalID != id && other.Name() == cfg.Name {
				return IntegrationRecord{}, &APIError{Status: http.StatusConflict, Detail: fmt.Sprintf("An integration named '%s' already exists: '%s'. Integration names must be unique.", cfg.Name, other.ExternalID)}
			}
		}
	}

	stored := clone(*cfg)
	stored.ExternalID = ""
	now := s.now()
	rec := IntegrationRecord{ExternalID: id, Enabled: true, Configuration: stored, Credential: clone(cred), CreatedAt: now, UpdatedAt: now}
	if exists {
		rec.Enabled, rec.CreatedAt = old.v.Enabled, old.v.CreatedAt
	}
	if body.Enabled != nil {
		rec.Enabled = *body.Enabled
	}
	put(s.st, s.st.integrations, id, rec)
	return clone(rec), nil
}

func ownerOf(r *rec[IntegrationRecord]) string {
	if r == nil {
		return ""
	}
	return r.v.OwnerTeam()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// mergeSecrets applies "a secret field left blank keeps its stored value": secret-looking detail
// keys that are blank or absent in the update keep the stored value.
func mergeSecrets(stored, update *Credential) *Credential {
	merged := &Credential{Type: update.Type, Details: map[string]string{}}
	for k, v := range update.Details {
		merged.Details[k] = v
	}
	for k, v := range stored.Details {
		if isSecretKey(k) && strings.TrimSpace(merged.Details[k]) == "" {
			merged.Details[k] = v
		}
	}
	return merged
}

func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, marker := range []string{"secret", "password", "token", "privatekey", "private_key", "apikey"} {
		if strings.Contains(k, marker) {
			return true
		}
	}
	return false
}

func checkPowerBICredential(c *Credential) error {
	if c.Type != CredentialTypeServicePrincipal {
		return unprocessable("A Power BI integration authenticates with a credential of type '%s', not '%s'.", CredentialTypeServicePrincipal, c.Type)
	}
	var missing []string
	for _, k := range []string{"tenantId", "clientId", "clientSecret"} {
		if strings.TrimSpace(c.Details[k]) == "" {
			missing = append(missing, "credential.details."+k)
		}
	}
	if len(missing) > 0 {
		return unprocessable("The Power BI service principal credential is incomplete: %s must be set.", strings.Join(missing, ", "))
	}
	return nil
}

// checkQuartz is a light syntactic check of a Quartz cron: 6 or 7 space-separated fields
// (seconds minutes hours day-of-month month day-of-week [year]) with a numeric seconds field.
// It returns "" when the expression looks valid.
func checkQuartz(expr string) string {
	fields := strings.Fields(expr)
	if len(fields) != 6 && len(fields) != 7 {
		return fmt.Sprintf("must be a Quartz cron expression with 6 fields (seconds minutes hours day-of-month month day-of-week), got %d fields", len(fields))
	}
	if sec, err := strconv.Atoi(fields[0]); err != nil || sec < 0 || sec > 59 {
		return fmt.Sprintf("the seconds field must be a number from 0 to 59, got %q", fields[0])
	}
	return ""
}

// deleteIntegration removes the integration, its runs and its schedule, and with deleteAssets=true
// also the assets it imported (custom.integrationExternalId). It answers 204 (INFERRED: the
// endpoint is not documented; 204 matches the sibling cancel endpoint). An in-flight run is
// cancelled. If an imported asset is still used by a data product nothing is deleted: 422,
// unless Options.DeleteAssetsInUse.
func (s *Server) deleteIntegration(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("externalId")
	deleteAssets, err := boolParam(r, "deleteAssets")
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.integrationOr404(id)
	if err != nil {
		return err
	}
	if p := principalOf(r); !mayActForTeam(p, rec.v.OwnerTeam()) {
		return forbidden("The API key (team '%s') lacks INGESTION_EDIT for integration '%s'.", p.Team, id)
	}
	var doomed []string
	if deleteAssets != nil && *deleteAssets {
		for _, a := range ordered(s.st.assets) {
			if a.Custom["integrationExternalId"] != id {
				continue
			}
			if users := s.productsUsingAsset(a.ID); len(users) > 0 && !s.opts.DeleteAssetsInUse {
				return unprocessable("Integration '%s' was not deleted: its asset '%s' is still used in a data product (%s).", id, a.ID, strings.Join(users, ", "))
			}
			doomed = append(doomed, a.ID)
		}
	}
	for _, a := range doomed {
		delete(s.st.assets, a)
	}
	s.runs.cancel(id)
	for runID, run := range s.st.runs {
		if run.v.IntegrationExternalID == id {
			delete(s.st.runs, runID)
		}
	}
	delete(s.st.integrations, id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
