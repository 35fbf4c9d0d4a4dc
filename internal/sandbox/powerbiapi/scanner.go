package powerbiapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// The admin scanner ("WorkspaceInfo" API) is the only way a service principal with Viewer
// rights can read table and column schema. Flow:
//
//	POST getInfo?datasetSchema=true {"workspaces":[ids]}  -> 202 {id, createdDateTime, status:"NotStarted"}
//	GET  scanStatus/{id}   (poll)                          -> Running ... Succeeded (or Failed)
//	GET  scanResult/{id}                                   -> {workspaces:[...with datasets, tables, columns]}
//
// It is tenant-wide: every requested workspace is scanned whatever the caller's roles
// (ids that do not exist are left out). Tables appear only with datasetSchema=true and the
// "detailed metadata" tenant switch on; table sources, measures and column expressions only
// with datasetExpressions=true and the "DAX and mashup expressions" switch on.

// MaxScanWorkspaces is the most workspace IDs one getInfo call accepts.
const MaxScanWorkspaces = 100

// Scan states, as the API spells them.
const (
	ScanNotStarted = "NotStarted"
	ScanRunning    = "Running"
	ScanSucceeded  = "Succeeded"
	ScanFailed     = "Failed"
)

type scanner struct {
	mu      sync.Mutex
	scans   map[string]*scan
	polls   int    // scanStatus polls until the scan finishes (>= 1)
	failure string // non-empty: scans finish Failed with this message
}

type scan struct {
	id      string
	created time.Time
	polls   int
	status  string
	errMsg  string
	result  scanResultBody // taken when the scan was requested
}

func (sc *scanner) init() {
	sc.scans = map[string]*scan{}
	sc.polls = 1
}

// SetScanPolls sets how many scanStatus polls a scan takes to finish (default 1: the
// first poll already sees Succeeded; 3: Running, Running, Succeeded). A large number
// emulates a stuck scan.
func (s *Server) SetScanPolls(n int) {
	s.scanner.mu.Lock()
	defer s.scanner.mu.Unlock()
	s.scanner.polls = max(n, 1)
}

// SetScanFailure makes scans requested from now on end in Failed with the given message;
// the empty string restores success.
func (s *Server) SetScanFailure(message string) {
	s.scanner.mu.Lock()
	defer s.scanner.mu.Unlock()
	s.scanner.failure = message
}

// Wire types (Swagger: ScanRequest, WorkspaceInfoResponse, WorkspaceInfo, WorkspaceInfoDataset,
// WorkspaceInfoReport, Table, Column, Measure, ASMashupExpression, GroupUser).

type scanRequestBody struct {
	ID              string          `json:"id"`
	CreatedDateTime string          `json:"createdDateTime"`
	Status          string          `json:"status"`
	Error           *scanErrorValue `json:"error,omitempty"`
}

type scanErrorValue struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type scanResultBody struct {
	Workspaces                       []wsInfo `json:"workspaces"`
	DatasourceInstances              []any    `json:"datasourceInstances"`
	MisconfiguredDatasourceInstances []any    `json:"misconfiguredDatasourceInstances"`
}

type wsInfo struct {
	ID                          string      `json:"id"`
	Name                        string      `json:"name"`
	Description                 string      `json:"description,omitempty"`
	Type                        string      `json:"type"`
	State                       string      `json:"state"`
	IsOnDedicatedCapacity       bool        `json:"isOnDedicatedCapacity"`
	CapacityID                  string      `json:"capacityId,omitempty"`
	DefaultDatasetStorageFormat string      `json:"defaultDatasetStorageFormat,omitempty"`
	Reports                     []wsReport  `json:"reports"`
	Dashboards                  []any       `json:"dashboards"`
	Datasets                    []wsDataset `json:"datasets"`
	Dataflows                   []any       `json:"dataflows"`
	Datamarts                   []any       `json:"datamarts"`
	Users                       []wsUser    `json:"users,omitempty"`
}

type wsReport struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Description        string `json:"description,omitempty"`
	ReportType         string `json:"reportType"`
	DatasetID          string `json:"datasetId,omitempty"`
	DatasetWorkspaceID string `json:"datasetWorkspaceId,omitempty"` // only when the model is in another workspace
}

type wsDataset struct {
	ID                               string    `json:"id"`
	Name                             string    `json:"name"`
	Description                      string    `json:"description,omitempty"`
	ConfiguredBy                     string    `json:"configuredBy,omitempty"`
	TargetStorageMode                string    `json:"targetStorageMode,omitempty"`
	CreatedDate                      time.Time `json:"createdDate"`
	IsEffectiveIdentityRequired      bool      `json:"isEffectiveIdentityRequired"`
	IsEffectiveIdentityRolesRequired bool      `json:"isEffectiveIdentityRolesRequired"`
	Tables                           []wsTable `json:"tables,omitempty"`
	UpstreamDataflows                []any     `json:"upstreamDataflows"`
	DatasourceUsages                 []any     `json:"datasourceUsages"`
}

type wsTable struct {
	Name        string         `json:"name"`
	Columns     []wsColumn     `json:"columns"`
	Measures    []wsMeasure    `json:"measures,omitempty"`
	IsHidden    bool           `json:"isHidden"`
	Description string         `json:"description,omitempty"`
	Source      []wsExpression `json:"source,omitempty"`
}

type wsColumn struct {
	Name        string `json:"name"`
	DataType    string `json:"dataType"`
	IsHidden    bool   `json:"isHidden"`
	ColumnType  string `json:"columnType"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression,omitempty"`
}

type wsMeasure struct {
	Name        string `json:"name"`
	Expression  string `json:"expression"`
	Description string `json:"description,omitempty"`
	IsHidden    bool   `json:"isHidden"`
}

type wsExpression struct {
	Expression string `json:"expression"`
}

type wsUser struct {
	GroupUserAccessRight string `json:"groupUserAccessRight"`
	Identifier           string `json:"identifier"`
	GraphID              string `json:"graphId"`
	DisplayName          string `json:"displayName,omitempty"`
	PrincipalType        string `json:"principalType"`
}

// scanOptions are getInfo's query flags.
type scanOptions struct {
	lineage, datasourceDetails, datasetSchema, datasetExpressions, getArtifactUsers bool
}

// scanTime is the scanner's timestamp format ("2020-06-15T16:46:28.0487687Z").
const scanTime = "2006-01-02T15:04:05.0000000Z"

// postScan: POST /admin/workspaces/getInfo.
func (s *Server) postScan(w http.ResponseWriter, r *http.Request, _ caller) {
	var opts scanOptions
	q := r.URL.Query()
	for name, dst := range map[string]*bool{
		"lineage": &opts.lineage, "datasourceDetails": &opts.datasourceDetails, "datasetSchema": &opts.datasetSchema,
		"datasetExpressions": &opts.datasetExpressions, "getArtifactUsers": &opts.getArtifactUsers,
	} {
		raw := queryValueFold(q, name)
		if raw == "" {
			continue
		}
		v, err := strconv.ParseBool(raw)
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeInvalidRequest, "The value '%s' of query parameter %s is not a boolean.", raw, name)
			return
		}
		*dst = v
	}

	var body struct {
		Workspaces []string `json:"workspaces"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, "The request body is not valid JSON of the form {\"workspaces\":[\"<workspace id>\", ...]}: %v", err)
		return
	}
	if n := len(body.Workspaces); n < 1 || n > MaxScanWorkspaces {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, "The request must name between 1 and %d workspaces; it names %d.", MaxScanWorkspaces, n)
		return
	}
	for _, id := range body.Workspaces {
		if !tenant.IsGUID(id) {
			writeError(w, http.StatusBadRequest, CodeInvalidRequest, "'%s' is not a valid workspace id.", id)
			return
		}
	}

	result := s.buildScanResult(body.Workspaces, opts)
	sc := &scan{id: tenant.NewGUID(), created: time.Now().UTC(), status: ScanNotStarted, result: result}
	s.scanner.mu.Lock()
	sc.polls = s.scanner.polls
	sc.errMsg = s.scanner.failure
	s.scanner.scans[sc.id] = sc
	body2 := sc.body()
	s.scanner.mu.Unlock()

	w.Header().Set("Location", baseURL(r)+BasePath+"/admin/workspaces/scanStatus/"+sc.id)
	writeJSON(w, http.StatusAccepted, body2)
}

// scanStatus: GET /admin/workspaces/scanStatus/{scan}. Each poll advances the scan.
func (s *Server) scanStatus(w http.ResponseWriter, r *http.Request, _ caller) {
	s.scanner.mu.Lock()
	sc, ok := s.scanner.scans[r.PathValue("scan")]
	var body scanRequestBody
	if ok {
		sc.polls--
		switch {
		case sc.status == ScanSucceeded || sc.status == ScanFailed:
		case sc.polls > 0:
			sc.status = ScanRunning
		case sc.errMsg != "":
			sc.status = ScanFailed
		default:
			sc.status = ScanSucceeded
		}
		body = sc.body()
	}
	s.scanner.mu.Unlock()
	if !ok {
		writePBIException(w, http.StatusNotFound, CodeEntityNotFound)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// scanResult: GET /admin/workspaces/scanResult/{scan}, once the scan has succeeded.
func (s *Server) scanResult(w http.ResponseWriter, r *http.Request, _ caller) {
	s.scanner.mu.Lock()
	sc, ok := s.scanner.scans[r.PathValue("scan")]
	var status string
	if ok {
		status = sc.status
	}
	s.scanner.mu.Unlock()
	switch {
	case !ok:
		writePBIException(w, http.StatusNotFound, CodeEntityNotFound)
	case status != ScanSucceeded:
		writeError(w, http.StatusBadRequest, CodeInvalidRequest,
			"The result of scan %s is not available: its status is %s. Poll scanStatus until it is %s.", sc.id, status, ScanSucceeded)
	default:
		writeJSON(w, http.StatusOK, sc.result)
	}
}

// modifiedWorkspaces: GET /admin/workspaces/modified lists every workspace ID (the sandbox
// does not track modification times, so everything counts as modified).
func (s *Server) modifiedWorkspaces(w http.ResponseWriter, _ *http.Request, _ caller) {
	out := []map[string]string{}
	for _, ws := range s.tenant.WorkspaceList() {
		out = append(out, map[string]string{"id": ws.ID})
	}
	writeJSON(w, http.StatusOK, out)
}

func (sc *scan) body() scanRequestBody {
	b := scanRequestBody{ID: sc.id, CreatedDateTime: sc.created.Format(scanTime), Status: sc.status}
	if sc.status == ScanFailed {
		b.Error = &scanErrorValue{Code: "ScanFailed", Message: sc.errMsg}
	}
	return b
}

// buildScanResult snapshots the requested workspaces as the scanner reports them.
func (s *Server) buildScanResult(ids []string, opts scanOptions) scanResultBody {
	settings := s.tenant.CurrentSettings()
	withSchema := opts.datasetSchema && settings.DetailedMetadata
	withExpr := opts.datasetExpressions && settings.DAXAndMashupExpressions
	res := scanResultBody{Workspaces: []wsInfo{}, DatasourceInstances: []any{}, MisconfiguredDatasourceInstances: []any{}}
	seen := map[string]bool{}
	for _, id := range ids {
		ws, ok := s.tenant.Workspace(id)
		if !ok || seen[ws.ID] {
			continue
		}
		seen[ws.ID] = true
		info := wsInfo{
			ID: ws.ID, Name: ws.Name, Description: ws.Description, Type: ws.Type, State: "Active",
			IsOnDedicatedCapacity: ws.IsOnDedicatedCapacity,
			Reports:               []wsReport{}, Dashboards: []any{}, Datasets: []wsDataset{}, Dataflows: []any{}, Datamarts: []any{},
		}
		if ws.IsOnDedicatedCapacity {
			info.CapacityID, info.DefaultDatasetStorageFormat = ws.CapacityID, "Small"
		}
		for _, rep := range ws.Reports {
			wr := wsReport{ID: rep.ID, Name: rep.Name, Description: rep.Description, ReportType: rep.ReportType, DatasetID: rep.DatasetID}
			if dw := rep.DatasetWorkspace(ws.ID); dw != "" && !sameID(dw, ws.ID) {
				wr.DatasetWorkspaceID = dw
			}
			info.Reports = append(info.Reports, wr)
		}
		for _, d := range ws.Datasets {
			wd := wsDataset{ID: d.ID, Name: d.Name, Description: d.Description, ConfiguredBy: d.ConfiguredBy,
				TargetStorageMode: d.TargetStorageMode, CreatedDate: d.CreatedDate.UTC(),
				UpstreamDataflows: []any{}, DatasourceUsages: []any{}}
			if withSchema {
				wd.Tables = []wsTable{}
				for _, tb := range d.Tables {
					wd.Tables = append(wd.Tables, toScanTable(tb, withExpr))
				}
			}
			info.Datasets = append(info.Datasets, wd)
		}
		if opts.getArtifactUsers {
			for clientID, role := range ws.Roles {
				u := wsUser{GroupUserAccessRight: string(role), Identifier: clientID, GraphID: clientID, PrincipalType: "App"}
				if app, ok := s.tenant.App(clientID); ok {
					u.DisplayName = app.DisplayName
				}
				info.Users = append(info.Users, u)
			}
			slices.SortFunc(info.Users, func(a, b wsUser) int { return strings.Compare(a.Identifier, b.Identifier) })
		}
		res.Workspaces = append(res.Workspaces, info)
	}
	return res
}

func toScanTable(tb tenant.Table, withExpr bool) wsTable {
	out := wsTable{Name: tb.Name, Columns: []wsColumn{}, IsHidden: tb.IsHidden, Description: tb.Description}
	for _, c := range tb.Columns {
		ct := c.ColumnType
		if ct == "" {
			ct = "Data"
		}
		col := wsColumn{Name: c.Name, DataType: c.DataType, IsHidden: c.IsHidden, ColumnType: ct, Description: c.Description}
		if withExpr {
			col.Expression = c.Expression
		}
		out.Columns = append(out.Columns, col)
	}
	if withExpr {
		// Measures require an expression in the published schema, so they come with
		// expressions or not at all.
		for _, m := range tb.Measures {
			out.Measures = append(out.Measures, wsMeasure{Name: m.Name, Expression: m.Expression, Description: m.Description, IsHidden: m.IsHidden})
		}
		if tb.Source != "" {
			out.Source = []wsExpression{{Expression: tb.Source}}
		}
	}
	return out
}

// queryValueFold reads a query parameter whose name may come in any case (the service
// documents "datasetSchema" but examples send "DatasetSchema" too).
func queryValueFold(q map[string][]string, name string) string {
	if v, ok := q[name]; ok && len(v) > 0 {
		return v[0]
	}
	for k, v := range q {
		if len(v) > 0 && strings.EqualFold(k, name) {
			return v[0]
		}
	}
	return ""
}
