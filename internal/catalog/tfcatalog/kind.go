// Package tfcatalog is the Terraform side of package catalog: the list and
// single-item data sources over imported Power BI assets, written once and
// instantiated per kind by the semanticmodel and report packages, which
// only describe what is particular to their kind (a Kind).
package tfcatalog

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// Kind describes one kind of imported asset, T being its catalog type.
type Kind[T any] struct {
	// Name and Plural name the kind in descriptions and messages:
	// "semantic model", "semantic models".
	Name, Plural string
	// TypeName is the single data source's name without the provider
	// prefix, e.g. "powerbi_semantic_model"; the list data source's name
	// appends "s".
	TypeName string
	// ListAttribute is the list data source's attribute with the items.
	ListAttribute string
	// ListDescription and Description introduce the list and the single
	// data source.
	ListDescription, Description string
	// Attributes are the kind's own item attributes, beyond the ones all
	// kinds share (see sharedAttributes); Values gives their values (nil:
	// there are none).
	Attributes map[string]schema.Attribute
	Values     func(*T) map[string]attr.Value
	// Detail, if set, is a large attribute (a model's tables) that the
	// single data source has on its item, and the list data source only on
	// request, in a map beside the list: so a for_each over the list never
	// copies it into every instance.
	Detail *Detail[T]
	// Summary, List and Get are the catalog's methods for the kind.
	Summary func(*T) catalog.Summary
	List    func(*catalog.Reader, context.Context, catalog.Query) ([]T, error)
	Get     func(*catalog.Reader, context.Context, string) (*T, error)
}

// Detail describes a Kind's large attribute.
type Detail[T any] struct {
	// Attribute names it, on the single data source's item and as the list
	// data source's map, e.g. "tables".
	Attribute string
	// Flag is the list data source's bool argument that asks for it, e.g.
	// "include_tables".
	Flag string
	// Schema is the attribute on the single data source.
	Schema schema.Attribute
	// ListDescription describes the list data source's map.
	ListDescription string
	// Value is the attribute's value for one item.
	Value func(*T) attr.Value
}

func (k Kind[T]) listTypeName() string { return k.TypeName + "s" }

// itemAttributes are the attributes of one item, the same in the list's
// elements and at the top of the single data source.
func (k Kind[T]) itemAttributes() map[string]schema.Attribute {
	attrs := k.sharedAttributes()
	maps.Copy(attrs, k.Attributes)
	return attrs
}

func (k Kind[T]) sharedAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": Computed("Asset id in Entropy Data, `powerbi-<GUID>`: what `entropydata_powerbi_data_product` takes as " +
			"`asset_id`, and a stable key for `for_each`."),
		"powerbi_id":     Computed("The " + k.Name + "'s id (GUID) in Power BI."),
		"name":           Computed("Name in Power BI."),
		"description":    Computed("Description in Power BI; null when there is none."),
		"workspace_id":   Computed("GUID of the Power BI workspace the " + k.Name + " is in."),
		"workspace_name": Computed("Name of that workspace."),
		"web_url":        Computed("Address of the " + k.Name + " in the Power BI web app."),
		"integration": Computed("External id of the integration that imported the " + k.Name + ". Assets are keyed " +
			"by their Power BI id, so when several integrations import the same workspace, the last run wins."),
		"owner_team": Computed("Id of the Entropy Data team that owns the asset (the integration's `owner_team`); " +
			"null for an organization-wide integration."),
	}
}

// itemValues are the values of itemAttributes for one item.
func (k Kind[T]) itemValues(item *T) map[string]attr.Value {
	s := k.Summary(item)
	values := map[string]attr.Value{
		"id":             types.StringValue(s.AssetID),
		"powerbi_id":     StringOrNull(s.PowerBIID),
		"name":           StringOrNull(s.Name),
		"description":    StringOrNull(s.Description),
		"workspace_id":   StringOrNull(s.WorkspaceID),
		"workspace_name": StringOrNull(s.WorkspaceName),
		"web_url":        StringOrNull(s.WebURL),
		"integration":    StringOrNull(s.Integration),
		"owner_team":     StringOrNull(s.OwnerTeam),
	}
	if k.Values != nil {
		maps.Copy(values, k.Values(item))
	}
	return values
}

// dataSourceFor names the single data source that reads assets of this
// type, for hints; "" when there is none.
func dataSourceFor(assetType string) string {
	switch assetType {
	case entropydata.AssetTypePowerBISemanticModel:
		return "entropydata_powerbi_semantic_model"
	case entropydata.AssetTypePowerBIReport:
		return "entropydata_powerbi_report"
	}
	return ""
}

// Computed is a computed string attribute.
func Computed(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

// ComputedBool is a computed bool attribute.
func ComputedBool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
}

// ComputedList is a computed list of objects with these attributes.
func ComputedList(description string, attrs map[string]schema.Attribute) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
	}
}

// ObjectType is the type of an object with these attributes.
func ObjectType(attrs map[string]schema.Attribute) types.ObjectType {
	return types.ObjectType{AttrTypes: providerdata.AttrTypes(attrs)}
}

// StringOrNull is providerdata.StringOrNull under the name the catalog data
// sources already use.
var StringOrNull = providerdata.StringOrNull
