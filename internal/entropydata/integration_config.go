package entropydata

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"sort"
)

// The integration configuration's wire form. No public document states it
// for Power BI; the project's design fixes
//
//	{"source", "name", "description", "scheduleExpression", "assetOwnerTeamExternalId",
//	 "filters": {"workspaces": {"include": [...], "exclude": [...]}, "semanticModels": {...}, "reports": {...}}}
//
// and the only public sample (the official CLI's tests, Snowflake) stores
// filters as flat pattern lists, {"databases": ["DP_*"]}. So reads accept, per
// filter kind, an {include, exclude} object, a flat list (meaning include), a
// single pattern, null or nothing; scheduleExpression may be absent, null or
// empty (manual). Anything else is listed in Unrecognized instead of failing
// the decode. A write overlays the managed fields onto the configuration as
// it was read, in the form it was stored (a flat list stays flat while it has
// no excludes), so unknown keys survive.

// Configuration keys.
const (
	cfgExternalID = "externalId"
	cfgSource     = "source"
	cfgName       = "name"
	cfgDesc       = "description"
	cfgSchedule   = "scheduleExpression"
	cfgOwner      = "assetOwnerTeamExternalId"
	cfgFilters    = "filters"

	filterInclude = "include"
	filterExclude = "exclude"
)

// Filter kinds, in write order.
var filterKinds = []string{"workspaces", "semanticModels", "reports"}

// What a write does with a part it did not understand.
const (
	OnWriteKept     = "kept as stored"
	OnWriteReplaced = "replaced by the configured value"
)

func (f *IntegrationFilters) kind(k string) *PatternFilter {
	switch k {
	case "workspaces":
		return &f.Workspaces
	case "semanticModels":
		return &f.SemanticModels
	default:
		return &f.Reports
	}
}

// decodeConfiguration reads a configuration of any shape; nil for null or absent.
func decodeConfiguration(b json.RawMessage) *IntegrationConfiguration {
	if isNull(b) {
		return nil
	}
	c := &IntegrationConfiguration{}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		c.note("configuration", OnWriteReplaced)
		return c
	}
	c.raw = m
	for k, v := range m {
		switch k {
		case cfgExternalID:
		case cfgSource:
			c.Source = c.text(v, k, OnWriteKept)
		case cfgName:
			c.Name = c.text(v, k, OnWriteReplaced)
		case cfgDesc:
			c.Description = c.text(v, k, OnWriteReplaced)
		case cfgOwner:
			c.AssetOwnerTeamExternalID = c.text(v, k, OnWriteReplaced)
		case cfgSchedule:
			if s := c.text(v, k, OnWriteReplaced); s != "" {
				c.ScheduleExpression = &s
			}
		case cfgFilters:
			c.decodeFilters(v)
		default:
			c.note(k, OnWriteKept)
		}
	}
	sort.Slice(c.Unrecognized, func(i, j int) bool { return c.Unrecognized[i].Field < c.Unrecognized[j].Field })
	return c
}

func (c *IntegrationConfiguration) note(field, onWrite string) {
	if field != "configuration" {
		field = "configuration." + field
	}
	c.Unrecognized = append(c.Unrecognized, Unrecognized{Field: field, OnWrite: onWrite})
}

// text reads a string or null; anything else is noted.
func (c *IntegrationConfiguration) text(v json.RawMessage, field, onWrite string) string {
	var s *string
	if json.Unmarshal(v, &s) != nil {
		c.note(field, onWrite)
		return ""
	}
	if s == nil {
		return ""
	}
	return *s
}

func (c *IntegrationConfiguration) decodeFilters(v json.RawMessage) {
	if isNull(v) {
		return
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil {
		c.note(cfgFilters, OnWriteReplaced)
		return
	}
	for k, fv := range m {
		if !slices.Contains(filterKinds, k) {
			c.note(cfgFilters+"."+k, OnWriteKept)
			continue
		}
		c.decodeFilter(cfgFilters+"."+k, fv, c.Filters.kind(k))
	}
}

// decodeFilter reads {include, exclude}, a flat list or a single pattern.
func (c *IntegrationConfiguration) decodeFilter(field string, v json.RawMessage, f *PatternFilter) {
	if isNull(v) {
		return
	}
	if list, ok := patterns(v); ok {
		f.Include = list
		return
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil {
		c.note(field, OnWriteReplaced)
		return
	}
	for k, lv := range m {
		list, ok := patterns(lv)
		switch {
		case k != filterInclude && k != filterExclude:
			c.note(field+"."+k, OnWriteKept)
		case !ok:
			c.note(field+"."+k, OnWriteReplaced)
		case k == filterInclude:
			f.Include = list
		default:
			f.Exclude = list
		}
	}
}

// patterns reads a list of strings, a single string or null.
func patterns(v json.RawMessage) ([]string, bool) {
	if isNull(v) {
		return nil, true
	}
	var list []string
	if json.Unmarshal(v, &list) == nil {
		return list, true
	}
	var one string
	if json.Unmarshal(v, &one) == nil {
		return []string{one}, true
	}
	return nil, false
}

func isNull(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// MarshalJSON writes the configuration: the stored one (if it was read) with
// the managed fields overlaid, else a new one in the design's shape.
func (c IntegrationConfiguration) MarshalJSON() ([]byte, error) {
	out := maps.Clone(c.raw)
	fresh := out == nil
	if fresh {
		out = map[string]json.RawMessage{}
	}
	set := func(k string, v any) error {
		b, err := json.Marshal(v)
		out[k] = b
		return err
	}
	if err := set(cfgSource, c.Source); err != nil {
		return nil, err
	}
	if err := set(cfgName, c.Name); err != nil {
		return nil, err
	}
	if _, had := out[cfgDesc]; fresh || had || c.Description != "" {
		if err := set(cfgDesc, c.Description); err != nil {
			return nil, err
		}
	}
	if err := set(cfgSchedule, c.ScheduleExpression); err != nil {
		return nil, err
	}
	if c.AssetOwnerTeamExternalID != "" {
		if err := set(cfgOwner, c.AssetOwnerTeamExternalID); err != nil {
			return nil, err
		}
	} else {
		delete(out, cfgOwner)
	}
	filters, err := c.Filters.overlay(out[cfgFilters], fresh)
	if err != nil {
		return nil, err
	}
	if filters != nil {
		out[cfgFilters] = filters
	}
	return json.Marshal(out)
}

// overlay writes the filters onto the stored filters object. A kind keeps
// its stored form: a flat list stays a flat list unless excludes are added;
// an object keeps its other keys; a kind that was absent and selects
// everything stays absent. It returns nil when there is nothing to write.
func (f IntegrationFilters) overlay(stored json.RawMessage, fresh bool) (json.RawMessage, error) {
	var out map[string]json.RawMessage
	if json.Unmarshal(stored, &out) != nil || out == nil {
		out = map[string]json.RawMessage{}
	}
	for _, k := range filterKinds {
		pf := *f.kind(k)
		old, had := out[k]
		var oldObj map[string]json.RawMessage
		_ = json.Unmarshal(old, &oldObj)
		var v any = pf
		switch {
		case !fresh && !had && len(pf.Include) == 0 && len(pf.Exclude) == 0:
			continue
		case oldObj != nil:
			merged := maps.Clone(oldObj)
			for key, list := range map[string][]string{filterInclude: pf.Include, filterExclude: pf.Exclude} {
				if list == nil {
					list = []string{}
				}
				b, err := json.Marshal(list)
				if err != nil {
					return nil, err
				}
				merged[key] = b
			}
			v = merged
		case had && !isNull(old) && len(pf.Exclude) == 0:
			if _, flat := patterns(old); flat {
				list := pf.Include
				if list == nil {
					list = []string{}
				}
				v = list
			}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[k] = b
	}
	if len(out) == 0 && !fresh && isNull(stored) {
		return nil, nil
	}
	return json.Marshal(out)
}
