package providerdata

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// AttrTypes derives the attribute types of an object from its schema
// attributes (resource or data source), so that the types used to build
// values in code cannot drift from the schema: a hand-written map that
// drifts makes ObjectValueMust panic at runtime.
func AttrTypes[A interface{ GetType() attr.Type }](attrs map[string]A) map[string]attr.Type {
	types := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		types[name] = a.GetType()
	}
	return types
}

// StringOrNull is null for "", which the APIs use for "not set".
func StringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
