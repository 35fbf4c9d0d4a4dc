package powerbiapi

import (
	"net/http"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Semantic models and reports in a workspace. These lists are not paged on the real
// service and are not here. Any workspace role may read them.

// listDatasets: GET /groups/{group}/datasets.
func (s *Server) listDatasets(w http.ResponseWriter, r *http.Request, c caller) {
	ws, _, ok := s.visibleWorkspace(w, r, c)
	if !ok {
		return
	}
	out := datasetList{Context: odataContext(r, "datasets"), Value: []dataset{}}
	for _, d := range ws.Datasets {
		out.Value = append(out.Value, toDataset(ws.ID, d))
	}
	writeJSON(w, http.StatusOK, out)
}

// getDataset: GET /groups/{group}/datasets/{dataset}.
func (s *Server) getDataset(w http.ResponseWriter, r *http.Request, c caller) {
	ws, d, ok := s.datasetInWorkspace(w, r, c)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, datasetEntity{Context: odataContext(r, "datasets/$entity"), dataset: toDataset(ws.ID, d)})
}

// listPushTables: GET /groups/{group}/datasets/{dataset}/tables works only for push
// datasets. The sandbox has none (like most tenants), so it answers as the service does
// for an imported model: schema comes from the admin scanner instead.
func (s *Server) listPushTables(w http.ResponseWriter, r *http.Request, c caller) {
	_, d, ok := s.datasetInWorkspace(w, r, c)
	if !ok {
		return
	}
	writeError(w, http.StatusNotFound, CodeItemNotFound, "Dataset %s is not Push API dataset.", d.ID)
}

func (s *Server) datasetInWorkspace(w http.ResponseWriter, r *http.Request, c caller) (tenant.Workspace, tenant.Dataset, bool) {
	ws, _, ok := s.visibleWorkspace(w, r, c)
	if !ok {
		return tenant.Workspace{}, tenant.Dataset{}, false
	}
	id := r.PathValue("dataset")
	for _, d := range ws.Datasets {
		if sameID(d.ID, id) {
			return ws, d, true
		}
	}
	writeError(w, http.StatusNotFound, CodeItemNotFound, "Dataset %s is not found.", id)
	return tenant.Workspace{}, tenant.Dataset{}, false
}

// listReports: GET /groups/{group}/reports.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request, c caller) {
	ws, _, ok := s.visibleWorkspace(w, r, c)
	if !ok {
		return
	}
	out := reportList{Context: odataContext(r, "reports"), Value: []report{}}
	for _, rep := range ws.Reports {
		out.Value = append(out.Value, toReport(ws.ID, rep))
	}
	writeJSON(w, http.StatusOK, out)
}

// getReport: GET /groups/{group}/reports/{report}.
func (s *Server) getReport(w http.ResponseWriter, r *http.Request, c caller) {
	ws, _, ok := s.visibleWorkspace(w, r, c)
	if !ok {
		return
	}
	id := r.PathValue("report")
	for _, rep := range ws.Reports {
		if sameID(rep.ID, id) {
			writeJSON(w, http.StatusOK, reportEntity{Context: odataContext(r, "reports/$entity"), report: toReport(ws.ID, rep)})
			return
		}
	}
	writePBIException(w, http.StatusNotFound, CodeEntityNotFound)
}
