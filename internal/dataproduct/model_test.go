package dataproduct

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// equal lists the attributes by hand; a field added to the model without
// being compared there would make every plan with only that change look empty.
func TestEqualCoversEveryAttribute(t *testing.T) {
	rt := reflect.TypeFor[resourceModel]()
	for i := range rt.NumField() {
		name := rt.Field(i).Name
		a, b := sampleModel(), sampleModel()
		f := reflect.ValueOf(b).Elem().Field(i)
		switch f.Interface().(type) {
		case types.String:
			f.Set(reflect.ValueOf(types.StringValue("changed")))
		default:
			// The zero value is null; the sample is unknown.
			f.Set(reflect.Zero(f.Type()))
		}
		if a.equal(b) {
			t.Errorf("equal ignores %s: compare it in resourceModel.equal", name)
		}
	}
}

func sampleModel() *resourceModel {
	m := &resourceModel{}
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Interface().(type) {
		case types.String:
			f.Set(reflect.ValueOf(types.StringValue("same")))
		case types.Set:
			f.Set(reflect.ValueOf(types.SetUnknown(types.StringType)))
		case types.Map:
			f.Set(reflect.ValueOf(types.MapUnknown(types.StringType)))
		case types.List:
			f.Set(reflect.ValueOf(types.ListUnknown(types.StringType)))
		case types.Object:
			f.Set(reflect.ValueOf(types.ObjectUnknown(map[string]attr.Type{})))
		case timeouts.Value:
			f.Set(reflect.ValueOf(timeouts.Value{Object: types.ObjectUnknown(map[string]attr.Type{})}))
		default:
			panic("sampleModel: no sample for " + f.Type().String())
		}
	}
	return m
}
