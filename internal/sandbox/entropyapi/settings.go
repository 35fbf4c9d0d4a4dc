package entropyapi

import (
	"net/http"
	"slices"
	"strings"
)

// Data product types are per-organization settings at /api/settings/dataproduct-types (known from
// the CLI; not in the API document). A data product names its type in DPS info.archetype.

// DataProductType is one entry of the settings document.
type DataProductType struct {
	ID          string            `json:"id"`
	OutputPorts bool              `json:"outputPorts"` // whether products of this type have output ports
	Behavior    string            `json:"behavior"`    // "data-product" or "data-consumer"
	Labels      map[string]string `json:"labels"`      // display names by language, e.g. {"en": "Aggregate"}
	Enabled     bool              `json:"enabled"`     // disabled types cannot be used by new or updated products
	Default     bool              `json:"default"`     // exactly one type is the default
	BuiltIn     bool              `json:"builtIn"`     // server-managed: built-in types cannot be removed
}

// DataProductTypesDocument is the body of GET and PUT /api/settings/dataproduct-types.
type DataProductTypesDocument struct {
	DataProductTypes []DataProductType `json:"dataProductTypes"`
}

// Type ids the Power BI integration uses (the design's wire contract).
const (
	TypePowerBISemanticModel = "powerbi-semantic-model"
	TypePowerBIReport        = "powerbi-report"
)

// builtInDataProductTypes are the types a new organization has: the data mesh archetypes, the
// consumer kinds, and the two Power BI types. INFERRED: ids and labels follow the docs' names.
func builtInDataProductTypes() []DataProductType {
	t := func(id, label, behavior string, ports, def bool) DataProductType {
		return DataProductType{ID: id, OutputPorts: ports, Behavior: behavior, Labels: map[string]string{"en": label}, Enabled: true, Default: def, BuiltIn: true}
	}
	return []DataProductType{
		t("source-aligned", "Source-aligned", "data-product", true, false),
		t("aggregate", "Aggregate", "data-product", true, false),
		t("consumer-aligned", "Consumer-aligned", "data-product", true, true),
		t("dataconsumer", "Data Consumer", "data-consumer", false, false),
		t("application", "Application", "data-consumer", false, false),
		t(TypePowerBISemanticModel, "Power BI Semantic Model", "data-product", true, false),
		t(TypePowerBIReport, "Power BI Report", "data-consumer", false, false),
	}
}

// DataProductTypes returns the current types.
func (s *Server) DataProductTypes() []DataProductType {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.st.types)
}

// PutDataProductTypes replaces the types with the same rules as PUT /api/settings/dataproduct-types.
func (s *Server) PutDataProductTypes(types []DataProductType) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putTypesLocked(clone(types))
}

func (s *Server) typeEnabled(id string) bool {
	return slices.ContainsFunc(s.st.types, func(t DataProductType) bool { return t.ID == id && t.Enabled })
}

func (s *Server) enabledTypeIDs() []string {
	var ids []string
	for _, t := range s.st.types {
		if t.Enabled {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func (s *Server) putTypesLocked(types []DataProductType) error {
	if len(types) == 0 {
		return unprocessable("At least one data product type is required.")
	}
	builtIn := map[string]bool{}
	for _, t := range builtInDataProductTypes() {
		builtIn[t.ID] = true
	}
	seen := map[string]bool{}
	defaults := 0
	for i := range types {
		t := &types[i]
		switch {
		case strings.TrimSpace(t.ID) == "":
			return unprocessable("dataProductTypes[%d].id must not be blank.", i)
		case seen[t.ID]:
			return unprocessable("Duplicate data product type id '%s'.", t.ID)
		case t.Behavior != "data-product" && t.Behavior != "data-consumer":
			return unprocessable("Data product type '%s': behavior must be 'data-product' or 'data-consumer'.", t.ID)
		case strings.TrimSpace(t.Labels["en"]) == "":
			return unprocessable("Data product type '%s': labels.en must not be blank.", t.ID)
		}
		seen[t.ID] = true
		// builtIn is server-managed: the flag in the body is ignored.
		t.BuiltIn = builtIn[t.ID]
		if t.Default {
			defaults++
			if !t.Enabled {
				return unprocessable("The default data product type '%s' must be enabled.", t.ID)
			}
		}
	}
	if defaults != 1 {
		return unprocessable("Exactly one type must be the default.")
	}
	for _, t := range builtInDataProductTypes() {
		if !seen[t.ID] {
			return unprocessable("The built-in data product type '%s' cannot be removed; disable it instead.", t.ID)
		}
	}
	s.st.types = types
	return nil
}

func (s *Server) getDataProductTypes(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, DataProductTypesDocument{DataProductTypes: s.DataProductTypes()})
	return nil
}

// putDataProductTypes answers 200 with the stored document (as the CLI expects), 422 when the
// document breaks a rule. INFERRED: the real endpoint also accepts YAML; the sandbox reads JSON only.
func (s *Server) putDataProductTypes(w http.ResponseWriter, r *http.Request) error {
	var doc DataProductTypesDocument
	if err := decodeJSON(w, r, &doc); err != nil {
		return err
	}
	if err := s.PutDataProductTypes(doc.DataProductTypes); err != nil {
		return err
	}
	return s.getDataProductTypes(w, r)
}
