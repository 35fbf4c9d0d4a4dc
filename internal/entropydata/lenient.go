package entropydata

import (
	"encoding/json"
	"reflect"
	"strings"
)

// lenient decodes the JSON object b into p, a pointer to a struct type
// without its own decoder. When the object does not fit as a whole (a server
// stores a value of another type somewhere, say a number where a string is
// expected), it decodes field by field and leaves a field that does not fit
// at its zero value, so one odd value never fails a read (a whole list, for
// an odd item). Types that decode this way call it from UnmarshalJSON.
func lenient(b []byte, p any) error {
	err := json.Unmarshal(b, p)
	if err == nil {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return err // not an object at all
	}
	v := reflect.ValueOf(p).Elem()
	v.SetZero()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		raw, ok := m[name]
		if !f.IsExported() || name == "" || name == "-" || !ok {
			continue
		}
		fv := reflect.New(f.Type)
		if json.Unmarshal(raw, fv.Interface()) == nil {
			v.Field(i).Set(fv.Elem())
		}
	}
	return nil
}

// UnmarshalJSON decodes leniently (see lenient).
func (a *Asset) UnmarshalJSON(b []byte) error {
	type plain Asset
	return lenient(b, (*plain)(a))
}

// UnmarshalJSON decodes leniently (see lenient).
func (i *AssetInfo) UnmarshalJSON(b []byte) error {
	type plain AssetInfo
	return lenient(b, (*plain)(i))
}

// UnmarshalJSON decodes leniently (see lenient).
func (c *AssetColumn) UnmarshalJSON(b []byte) error {
	type plain AssetColumn
	return lenient(b, (*plain)(c))
}

// UnmarshalJSON decodes leniently (see lenient).
func (r *AssetRelationship) UnmarshalJSON(b []byte) error {
	type plain AssetRelationship
	return lenient(b, (*plain)(r))
}

// UnmarshalJSON decodes leniently (see lenient).
func (i *DataProductInfo) UnmarshalJSON(b []byte) error {
	type plain DataProductInfo
	return lenient(b, (*plain)(i))
}

// UnmarshalJSON decodes leniently (see lenient).
func (p *OutputPort) UnmarshalJSON(b []byte) error {
	type plain OutputPort
	return lenient(b, (*plain)(p))
}

// UnmarshalJSON decodes leniently (see lenient).
func (p *InputPort) UnmarshalJSON(b []byte) error {
	type plain InputPort
	return lenient(b, (*plain)(p))
}

// UnmarshalJSON decodes leniently (see lenient).
func (r *AssetRef) UnmarshalJSON(b []byte) error {
	type plain AssetRef
	return lenient(b, (*plain)(r))
}

// UnmarshalJSON decodes leniently (see lenient).
func (i *AccessInfo) UnmarshalJSON(b []byte) error {
	type plain AccessInfo
	return lenient(b, (*plain)(i))
}
