package entropydata

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
)

// How a data product that was read is written back: the document as the
// server returned it, in its format, with the fields of the DataProduct view
// that the caller changed overlaid (a field emptied removes the key). Fields
// the caller left as read stay byte for byte as stored, even where the view
// could not read them; everything the view does not model (DPS keys such as
// info.domain, ODPS fields such as support, sla or inputPorts, unknown keys
// of an output port, custom values that are not text) stays as it was.

type object = map[string]json.RawMessage

// document is the request body for PutDataProduct.
func (dp DataProduct) document() (json.RawMessage, error) {
	type plain DataProduct // without the decoder
	if dp.raw == nil {
		return json.Marshal(plain(dp))
	}
	base := objectOf(dp.raw)
	var orig DataProduct // the view as read, to tell what changed
	if err := json.Unmarshal(dp.raw, &orig); err != nil {
		return nil, err
	}
	var err error
	if dp.odps {
		err = overlayODPS(base, dp, orig)
	} else {
		err = overlayDPS(base, dp, orig)
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(base)
}

func objectOf(b json.RawMessage) object {
	var m object
	if json.Unmarshal(b, &m) != nil || m == nil {
		return object{}
	}
	return m
}

// encode marshals v to an object's keys.
func encode(v any) (object, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return objectOf(b), nil
}

// overlay copies each of keys that differs between typed and was (the view
// as read) from typed into base, or deletes it from base when typed omits it.
func overlay(base, typed, was object, keys ...string) {
	for _, k := range keys {
		if bytes.Equal(typed[k], was[k]) {
			continue
		}
		if v, ok := typed[k]; ok {
			base[k] = v
		} else {
			delete(base, k)
		}
	}
}

// setObject stores o under k, or deletes k when o is empty.
func setObject(base object, k string, o object) error {
	if len(o) == 0 {
		delete(base, k)
		return nil
	}
	b, err := json.Marshal(o)
	base[k] = b
	return err
}

// overlayText writes a text map onto a stored object: text values the map
// no longer has go, others stay.
func overlayText(stored json.RawMessage, m TextMap) (object, error) {
	out := objectOf(stored)
	for k, v := range out {
		var s string
		if json.Unmarshal(v, &s) == nil {
			if _, ok := m[k]; !ok {
				delete(out, k)
			}
		}
	}
	for k, v := range m {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[k] = b
	}
	return out, nil
}

func overlayDPS(base object, dp, orig DataProduct) error {
	type plain DataProduct
	typed, err := encode(plain(dp))
	if err != nil {
		return err
	}
	was, err := encode(plain(orig))
	if err != nil {
		return err
	}
	overlay(base, typed, was, "dataProductSpecification", "id", "tags", "assets")
	info := objectOf(base["info"])
	overlay(info, objectOf(typed["info"]), objectOf(was["info"]), "title", "owner", "description", "status", "archetype", "maturity")
	if err := setObject(base, "info", info); err != nil {
		return err
	}
	if !maps.Equal(dp.Links, orig.Links) {
		if err := overlayTextKey(base, "links", dp.Links); err != nil {
			return err
		}
	}
	if !maps.Equal(dp.Custom, orig.Custom) {
		if err := overlayTextKey(base, "custom", dp.Custom); err != nil {
			return err
		}
	}
	in := make([]portView, len(dp.InputPorts))
	for i, p := range dp.InputPorts {
		in[i] = portView{id: p.ID, typed: p, links: p.Links, custom: p.Custom}
		if j := slices.IndexFunc(orig.InputPorts, func(o InputPort) bool { return o.ID == p.ID }); j >= 0 {
			o := orig.InputPorts[j]
			in[i].was, in[i].wasLinks, in[i].wasCustom = o, o.Links, o.Custom
		}
	}
	out := make([]portView, len(dp.OutputPorts))
	for i, p := range dp.OutputPorts {
		out[i] = portView{id: p.ID, typed: p, links: p.Links, custom: p.Custom}
		if o := portByID(orig.OutputPorts, p.ID); o != nil {
			out[i].was, out[i].wasLinks, out[i].wasCustom = *o, o.Links, o.Custom
		}
	}
	if err := overlayPorts(base, "inputPorts", in, "id", "name", "description", "sourceSystemId", "type", "location", "tags"); err != nil {
		return err
	}
	return overlayPorts(base, "outputPorts", out, "id", "name", "description", "type", "status", "server",
		"containsPii", "autoApprove", "dataContractId", "tags", "assets")
}

func overlayTextKey(base object, k string, m TextMap) error {
	o, err := overlayText(base[k], m)
	if err != nil {
		return err
	}
	return setObject(base, k, o)
}

// portView is one port of the view, for overlayPorts, with the port as
// read (was; nil for a new port).
type portView struct {
	id                  string
	typed, was          any
	links, custom       TextMap
	wasLinks, wasCustom TextMap
}

func portByID(ports []OutputPort, id string) *OutputPort {
	for i := range ports {
		if ports[i].ID == id {
			return &ports[i]
		}
	}
	return nil
}

// overlayPorts writes the ports in the view's order, each onto the stored
// port with the same id; stored ports the view no longer has go.
func overlayPorts(base object, key string, ports []portView, keys ...string) error {
	var stored []object
	_ = json.Unmarshal(base[key], &stored)
	if len(ports) == 0 {
		delete(base, key)
		return nil
	}
	out := make([]object, 0, len(ports))
	for _, p := range ports {
		port := object{}
		for _, s := range stored {
			if id, _ := textOf(s["id"]); id == p.id {
				port = maps.Clone(s)
				break
			}
		}
		typed, err := encode(p.typed)
		if err != nil {
			return err
		}
		was := object{}
		if p.was != nil {
			if was, err = encode(p.was); err != nil {
				return err
			}
		}
		overlay(port, typed, was, keys...)
		for k, m := range map[string][2]TextMap{"links": {p.links, p.wasLinks}, "custom": {p.custom, p.wasCustom}} {
			if p.was != nil && maps.Equal(m[0], m[1]) {
				continue
			}
			if err := overlayTextKey(port, k, m[0]); err != nil {
				return err
			}
		}
		out = append(out, port)
	}
	b, err := json.Marshal(out)
	base[key] = b
	return err
}

func textOf(v json.RawMessage) (string, bool) {
	var s string
	return s, json.Unmarshal(v, &s) == nil
}

// setText sets a text key, or deletes it when s is empty.
func setTextKey(o object, k, s string) {
	if s == "" {
		delete(o, k)
		return
	}
	o[k], _ = json.Marshal(s)
}

// overlayODPS maps the changes of the view back onto an ODPS document along
// the mapping fromODPS reads (odps.go); inputPorts, domain, support, sla and
// everything else it does not read stay as they are.
func overlayODPS(base object, dp, orig DataProduct) error {
	if dp.ID != orig.ID {
		setTextKey(base, "id", dp.ID)
	}
	if dp.Info.Title != orig.Info.Title {
		setTextKey(base, "name", dp.Info.Title)
	}
	if dp.Info.Status != orig.Info.Status {
		setTextKey(base, "status", dp.Info.Status)
	}
	if dp.Info.Description != orig.Info.Description {
		desc := objectOf(base["description"])
		setTextKey(desc, "purpose", dp.Info.Description)
		if err := setObject(base, "description", desc); err != nil {
			return err
		}
	}
	if dp.Info.Owner != orig.Info.Owner {
		team := objectOf(base["team"])
		setTextKey(team, "name", dp.Info.Owner)
		if err := setObject(base, "team", team); err != nil {
			return err
		}
	}
	if !slices.Equal(dp.Tags, orig.Tags) {
		if err := setList(base, "tags", dp.Tags); err != nil {
			return err
		}
	}
	if !maps.Equal(dp.Links, orig.Links) {
		if err := overlayDefinitions(base, dp.Links); err != nil {
			return err
		}
	}
	managed := changedValues(
		map[string]any{odpsType: text(dp.Info.Archetype), odpsMaturity: text(dp.Info.Maturity), odpsAssets: refs(dp.Assets)},
		map[string]any{odpsType: text(orig.Info.Archetype), odpsMaturity: text(orig.Info.Maturity), odpsAssets: refs(orig.Assets)})
	if err := overlayProperties(base, managed, dp.Custom, !maps.Equal(dp.Custom, orig.Custom)); err != nil {
		return err
	}

	var stored []object
	_ = json.Unmarshal(base["outputPorts"], &stored)
	ports := make([]object, 0, len(dp.OutputPorts))
	for _, p := range dp.OutputPorts {
		port := object{"version": json.RawMessage(`"1.0.0"`)} // required by ODPS; INFERRED for a new port
		for _, s := range stored {
			if name, _ := textOf(s["name"]); name == p.ID {
				port = maps.Clone(s)
				break
			}
		}
		var o OutputPort
		if op := portByID(orig.OutputPorts, p.ID); op != nil {
			o = *op
		}
		if err := overlayODPSPort(port, p, o); err != nil {
			return err
		}
		ports = append(ports, port)
	}
	if len(ports) == 0 {
		delete(base, "outputPorts")
		return nil
	}
	b, err := json.Marshal(ports)
	base["outputPorts"] = b
	return err
}

// overlayODPSPort writes the changes of an output port (o: as read, zero for
// a new port).
func overlayODPSPort(port object, p, o OutputPort) error {
	for k, v := range map[string][2]string{"name": {p.ID, o.ID}, "description": {p.Description, o.Description},
		"type": {p.Type, o.Type}, "contractId": {p.DataContractID, o.DataContractID}} {
		if v[0] != v[1] {
			setTextKey(port, k, v[0])
		}
	}
	if !slices.Equal(p.Tags, o.Tags) {
		if err := setList(port, "tags", p.Tags); err != nil {
			return err
		}
	}
	if !maps.Equal(p.Links, o.Links) {
		if err := overlayDefinitions(port, p.Links); err != nil {
			return err
		}
	}
	managed := changedValues(portProperties(p), portProperties(o))
	return overlayProperties(port, managed, p.Custom, !maps.Equal(p.Custom, o.Custom))
}

// portProperties are an output port's fields that ODPS keeps as custom properties.
func portProperties(p OutputPort) map[string]any {
	displayName := p.Name
	if displayName == p.ID {
		displayName = ""
	}
	var server any
	if len(p.Server) > 0 {
		server = p.Server
	}
	return map[string]any{
		odpsStatus: text(p.Status), odpsDisplayName: text(displayName), odpsAssets: refs(p.Assets), odpsServer: server,
		odpsAutoApprove: flag(p.AutoApprove), odpsContainsPii: flag(p.ContainsPii),
	}
}

// changedValues keeps the entries of now that differ from was.
func changedValues(now, was map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range now {
		if !reflect.DeepEqual(v, was[k]) {
			out[k] = v
		}
	}
	return out
}

// text, refs and flag give nil for an empty value, which removes the property.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func refs(r []AssetRef) any {
	if len(r) == 0 {
		return nil
	}
	return r
}

func flag(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func setList(o object, k string, list []string) error {
	if len(list) == 0 {
		delete(o, k)
		return nil
	}
	b, err := json.Marshal(list)
	o[k] = b
	return err
}

// overlayProperties writes customProperties: the changed managed properties
// (nil removes one), and, when customChanged, custom's text values; a stored
// entry keeps its other keys (such as its description), and entries with a
// value that is not text stay unless managed.
func overlayProperties(o object, managed map[string]any, custom TextMap, customChanged bool) error {
	if len(managed) == 0 && !customChanged {
		return nil
	}
	var stored []object
	_ = json.Unmarshal(o["customProperties"], &stored)
	done := map[string]bool{}
	var out []object
	for _, e := range stored {
		prop, _ := textOf(e["property"])
		var value any
		_, isText := textOf(e["value"])
		if v, ok := managed[prop]; ok {
			value = v
		} else if isText && customChanged && !isCustomReserved(prop) {
			if s, ok := custom[prop]; ok {
				value = s
			}
		} else {
			out = append(out, e) // not changed, or not part of the view
			done[prop] = true
			continue
		}
		done[prop] = true
		if value == nil {
			continue
		}
		b, err := json.Marshal(value)
		if err != nil {
			return err
		}
		e = maps.Clone(e)
		e["value"] = b
		out = append(out, e)
	}
	add := func(prop string, value any) error {
		if done[prop] || value == nil {
			return nil
		}
		e, err := encode(odpsPropertyOut{Property: prop, Value: value})
		out = append(out, e)
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(managed)) {
		if err := add(k, managed[k]); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(custom)) {
		if customChanged && !isCustomReserved(k) {
			if err := add(k, custom[k]); err != nil {
				return err
			}
		}
	}
	if len(out) == 0 {
		delete(o, "customProperties")
		return nil
	}
	b, err := json.Marshal(out)
	o["customProperties"] = b
	return err
}

// isCustomReserved: custom properties that have their own field in the view.
func isCustomReserved(prop string) bool {
	switch prop {
	case odpsType, odpsMaturity, odpsAssets, odpsStatus, odpsDisplayName, odpsAutoApprove, odpsContainsPii, odpsServer:
		return true
	}
	return false
}

type odpsPropertyOut struct {
	Property string `json:"property"`
	Value    any    `json:"value"`
}

// overlayDefinitions writes links as authoritativeDefinitions {type, url}.
func overlayDefinitions(o object, links TextMap) error {
	var stored []object
	_ = json.Unmarshal(o["authoritativeDefinitions"], &stored)
	done := map[string]bool{}
	var out []object
	for _, e := range stored {
		t, _ := textOf(e["type"])
		url, ok := links[t]
		if !ok || done[t] {
			continue
		}
		done[t] = true
		e = maps.Clone(e)
		e["url"], _ = json.Marshal(url)
		out = append(out, e)
	}
	for _, t := range slices.Sorted(maps.Keys(links)) {
		if !done[t] {
			e, err := encode(odpsDefinition{Type: t, URL: links[t]})
			if err != nil {
				return err
			}
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		delete(o, "authoritativeDefinitions")
		return nil
	}
	b, err := json.Marshal(out)
	o["authoritativeDefinitions"] = b
	return err
}

// Unrecognized lists the data product's custom values that the view leaves
// out because they are not text (DPS custom, ODPS customProperties): a write
// keeps them as they are.
func (dp *DataProduct) Unrecognized() []Unrecognized {
	var out []Unrecognized
	base := objectOf(dp.raw)
	if dp.odps {
		var props []object
		_ = json.Unmarshal(base["customProperties"], &props)
		for _, e := range props {
			prop, _ := textOf(e["property"])
			if _, isText := textOf(e["value"]); !isText && prop != odpsAssets && prop != odpsServer {
				out = append(out, Unrecognized{Field: "customProperties[" + prop + "]", OnWrite: OnWriteKept})
			}
		}
		return out
	}
	custom := objectOf(base["custom"])
	for _, k := range slices.Sorted(maps.Keys(custom)) {
		if _, isText := textOf(custom[k]); !isText {
			out = append(out, Unrecognized{Field: "custom." + k, OnWrite: OnWriteKept})
		}
	}
	return out
}
