package entropyapi

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// Data products in the Open Data Product Standard (ODPS) v1.0.0. The API accepts ODPS and DPS
// documents; the sandbox stores an ODPS document as given and reads from it what the server needs
// (owner, type, ports, asset links) along Entropy Data's documented DPS<->ODPS mapping:
// name<->info.title, team.name<->info.owner, description.purpose<->info.description,
// customProperties "type"/"maturity"<->info.archetype/maturity, authoritativeDefinitions<->links,
// other customProperties<->custom; an output port's name is its DPS id. INFERRED: asset links are
// the custom property "assets", and an output port's DPS name the custom property "displayName".
//
// With Options.DataProductsODPS the server answers in ODPS only: a DPS body is stored converted.

func isODPS(m map[string]any) bool {
	_, dps := m["dataProductSpecification"]
	return !dps && (m["apiVersion"] != nil || m["kind"] != nil)
}

// checkODPS checks what the server needs of an ODPS document (the schema's required properties and
// the team), and returns one message per problem.
func checkODPS(m map[string]any) []string {
	c := &schemaCheck{}
	if m["kind"] != "DataProduct" {
		c.fail("kind", `must be "DataProduct"`)
	}
	c.str(m, "", "apiVersion", true)
	c.str(m, "", "id", true)
	c.str(m, "", "status", true)
	if team := c.obj(m, "", "team", true); team != nil {
		c.str(team, "team", "name", true)
	}
	for i, port := range c.objArray(m, "", "outputPorts") {
		c.str(port, "outputPorts["+strconv.Itoa(i)+"]", "name", true)
	}
	c.objArray(m, "", "customProperties")
	return c.problems
}

// odpsDoc is the part of an ODPS document the server reads.
type odpsDoc struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	Domain      string `json:"domain"`
	Description struct {
		Purpose string `json:"purpose"`
	} `json:"description"`
	Team struct {
		Name string `json:"name"`
	} `json:"team"`
	Tags             []string       `json:"tags"`
	CustomProperties []odpsProperty `json:"customProperties"`
	OutputPorts      []struct {
		Name             string         `json:"name"`
		ContractID       string         `json:"contractId"`
		CustomProperties []odpsProperty `json:"customProperties"`
	} `json:"outputPorts"`
}

type odpsProperty struct {
	Property string          `json:"property"`
	Value    json.RawMessage `json:"value"`
}

func propertyValue(props []odpsProperty, name string, into any) {
	for _, p := range props {
		if p.Property == name {
			_ = json.Unmarshal(p.Value, into)
		}
	}
}

// odpsView reads the server's view of an ODPS document.
func odpsView(body []byte) (dpsView, error) {
	var o odpsDoc
	if err := json.Unmarshal(body, &o); err != nil {
		return dpsView{}, err
	}
	var v dpsView
	v.ID, v.Tags = o.ID, o.Tags
	v.Info.Title, v.Info.Owner, v.Info.Description, v.Info.Status, v.Info.Domain = o.Name, o.Team.Name, o.Description.Purpose, o.Status, o.Domain
	propertyValue(o.CustomProperties, "type", &v.Info.Archetype)
	propertyValue(o.CustomProperties, "assets", &v.Assets)
	for _, p := range o.OutputPorts {
		port := dpsOutputPort{ID: p.Name, DataContractID: p.ContractID}
		propertyValue(p.CustomProperties, "autoApprove", &port.AutoApprove)
		propertyValue(p.CustomProperties, "assets", &port.Assets)
		v.OutputPorts = append(v.OutputPorts, port)
	}
	return v, nil
}

// viewOfDocument reads the server's view of a stored document in either format.
func viewOfDocument(body []byte) (dpsView, error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return dpsView{}, err
	}
	if isODPS(m) {
		return odpsView(body)
	}
	var v dpsView
	err := json.Unmarshal(body, &v)
	return v, err
}

// dpsToODPS converts a (checked) DPS document to ODPS v1.0.0, as a server that answers in ODPS
// stores it. Keys DPS has and the mapping does not cover are dropped, as a server with one
// internal model would.
func dpsToODPS(m map[string]any) map[string]any {
	info, _ := m["info"].(map[string]any)
	out := map[string]any{"apiVersion": "v1.0.0", "kind": "DataProduct", "id": m["id"], "status": "active"}
	setIf := func(o map[string]any, k string, v any) {
		if s, ok := v.(string); v != nil && (!ok || s != "") {
			o[k] = v
		}
	}
	setIf(out, "name", info["title"])
	setIf(out, "status", info["status"])
	setIf(out, "domain", info["domain"])
	out["team"] = map[string]any{"name": info["owner"]}
	if d, ok := info["description"].(string); ok && d != "" {
		out["description"] = map[string]any{"purpose": d}
	}
	setIf(out, "tags", m["tags"])
	if defs := definitions(m["links"]); len(defs) > 0 {
		out["authoritativeDefinitions"] = defs
	}
	props := properties(m["custom"], map[string]any{"type": info["archetype"], "maturity": info["maturity"], "assets": m["assets"]})
	if len(props) > 0 {
		out["customProperties"] = props
	}
	var ports []any
	for _, p := range asObjects(m["outputPorts"]) {
		port := map[string]any{"name": p["id"], "version": "1.0.0"}
		setIf(port, "description", p["description"])
		setIf(port, "type", p["type"])
		setIf(port, "contractId", p["dataContractId"])
		setIf(port, "tags", p["tags"])
		if defs := definitions(p["links"]); len(defs) > 0 {
			port["authoritativeDefinitions"] = defs
		}
		managed := map[string]any{"status": p["status"], "autoApprove": p["autoApprove"], "containsPii": p["containsPii"],
			"server": p["server"], "assets": p["assets"]}
		if p["name"] != p["id"] {
			managed["displayName"] = p["name"]
		}
		if props := properties(p["custom"], managed); len(props) > 0 {
			port["customProperties"] = props
		}
		ports = append(ports, port)
	}
	if len(ports) > 0 {
		out["outputPorts"] = ports
	}
	var inputs []any
	for _, p := range asObjects(m["inputPorts"]) {
		inputs = append(inputs, map[string]any{"name": p["id"], "version": "1.0.0", "contractId": p["sourceSystemId"]})
	}
	if len(inputs) > 0 {
		out["inputPorts"] = inputs
	}
	return out
}

func asObjects(v any) []map[string]any {
	var out []map[string]any
	list, _ := v.([]any)
	for _, item := range list {
		if o, ok := item.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func definitions(links any) []any {
	m, _ := links.(map[string]any)
	var out []any
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, map[string]any{"type": k, "url": m[k]})
	}
	return out
}

// properties lists the managed values (nil ones left out), then the custom map, as customProperties.
func properties(custom any, managed map[string]any) []any {
	var out []any
	for _, k := range slices.Sorted(maps.Keys(managed)) {
		if v := managed[k]; v != nil {
			out = append(out, map[string]any{"property": k, "value": v})
		}
	}
	c, _ := custom.(map[string]any)
	for _, k := range slices.Sorted(maps.Keys(c)) {
		out = append(out, map[string]any{"property": k, "value": c[k]})
	}
	return out
}
