package entropydata

import (
	"encoding/json"
	"strconv"
)

// The data product endpoints may answer in ODPS v1.0.0 (e.g. a product that
// was created in the UI) although this client writes DPS. fromODPS maps the
// fields the provider reads onto the DPS shape, following Entropy Data's
// documented DPS<->ODPS mapping: name->info.title, team.name->info.owner,
// description.purpose->info.description, customProperties "type"/"maturity"
// ->info.archetype/maturity, authoritativeDefinitions->links; an output port's
// ODPS name is its DPS id, and its DPS name (which ODPS cannot express) is
// the custom property "displayName" (INFERRED). Other custom properties with
// a text value land in Custom; the rest is not part of the view, and a write
// keeps it (see dataproduct_write.go).

// Custom properties with a place in the DPS view.
const (
	odpsType        = "type"
	odpsMaturity    = "maturity"
	odpsAssets      = "assets"
	odpsStatus      = "status"
	odpsAutoApprove = "autoApprove"
	odpsContainsPii = "containsPii"
	odpsServer      = "server"
	odpsDisplayName = "displayName"
)

type odpsProperty struct {
	Property string          `json:"property"`
	Value    json.RawMessage `json:"value"`
}

type odpsDefinition struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type odpsOutputPort struct {
	Name                     string           `json:"name"`
	Description              string           `json:"description"`
	Type                     string           `json:"type"`
	ContractID               string           `json:"contractId"`
	AuthoritativeDefinitions []odpsDefinition `json:"authoritativeDefinitions"`
	CustomProperties         []odpsProperty   `json:"customProperties"`
	Tags                     []string         `json:"tags"`
}

type odpsProduct struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	Description struct {
		Purpose string `json:"purpose"`
	} `json:"description"`
	Team struct {
		Name string `json:"name"`
	} `json:"team"`
	AuthoritativeDefinitions []odpsDefinition `json:"authoritativeDefinitions"`
	CustomProperties         []odpsProperty   `json:"customProperties"`
	Tags                     []string         `json:"tags"`
	OutputPorts              []odpsOutputPort `json:"outputPorts"`
}

func (dp *DataProduct) fromODPS(b []byte) error {
	var o odpsProduct
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*dp = DataProduct{
		ID:    o.ID,
		Info:  DataProductInfo{Title: o.Name, Owner: o.Team.Name, Description: o.Description.Purpose, Status: o.Status},
		Links: odpsLinks(o.AuthoritativeDefinitions),
		Tags:  o.Tags,
	}
	for _, p := range o.CustomProperties {
		switch p.Property {
		case odpsType:
			dp.Info.Archetype = odpsText(p.Value)
		case odpsMaturity:
			dp.Info.Maturity = odpsText(p.Value)
		case odpsAssets:
			_ = json.Unmarshal(p.Value, &dp.Assets) // best effort: shape not documented
		default:
			dp.Custom = setText(dp.Custom, p.Property, p.Value)
		}
	}
	for _, op := range o.OutputPorts {
		port := OutputPort{
			ID: op.Name, Name: op.Name, Description: op.Description, Type: op.Type,
			DataContractID: op.ContractID, Tags: op.Tags, Links: odpsLinks(op.AuthoritativeDefinitions),
		}
		for _, p := range op.CustomProperties {
			switch p.Property {
			case odpsStatus:
				port.Status = odpsText(p.Value)
			case odpsDisplayName:
				port.Name = odpsText(p.Value)
			case odpsAutoApprove:
				port.AutoApprove = odpsBool(p.Value)
			case odpsContainsPii:
				port.ContainsPii = odpsBool(p.Value)
			case odpsServer:
				_ = json.Unmarshal(p.Value, &port.Server)
			case odpsAssets:
				_ = json.Unmarshal(p.Value, &port.Assets)
			default:
				port.Custom = setText(port.Custom, p.Property, p.Value)
			}
		}
		dp.OutputPorts = append(dp.OutputPorts, port)
	}
	return nil
}

func odpsLinks(defs []odpsDefinition) map[string]string {
	if len(defs) == 0 {
		return nil
	}
	links := make(map[string]string, len(defs))
	for _, d := range defs {
		links[d.Type] = d.URL
	}
	return links
}

// odpsText returns a JSON string's value, or any other JSON value as text.
func odpsText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

func odpsBool(v json.RawMessage) *bool {
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return &b
	}
	if b, err := strconv.ParseBool(odpsText(v)); err == nil {
		return &b
	}
	return nil
}

// setText adds a text value; other values are not part of the view.
func setText(m map[string]string, k string, v json.RawMessage) map[string]string {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return m
	}
	if m == nil {
		m = map[string]string{}
	}
	m[k] = s
	return m
}
