package entropydata

import (
	"context"
	"net/http"
)

// Data product types are configured per organization at
// /api/settings/dataproduct-types, as {"dataProductTypes":[...]}. The
// endpoint is not in the public OpenAPI document; its shape follows the
// official CLI. A type's id is what a data product carries in info.archetype.

// Data product type ids of the Power BI integration.
const (
	DataProductTypePowerBISemanticModel = "powerbi-semantic-model"
	DataProductTypePowerBIReport        = "powerbi-report"
)

// Data product type behaviours.
const (
	BehaviorDataProduct  = "data-product"
	BehaviorDataConsumer = "data-consumer"
)

// DataProductType is one organization-defined data product type.
type DataProductType struct {
	ID          string            `json:"id"`
	OutputPorts bool              `json:"outputPorts"` // whether products of this type have output ports
	Behavior    string            `json:"behavior"`    // BehaviorDataProduct or BehaviorDataConsumer
	Labels      map[string]string `json:"labels,omitempty"`
	Enabled     bool              `json:"enabled"`
	Default     bool              `json:"default"` // exactly one type must be the default
	BuiltIn     bool              `json:"builtIn"`
}

type dataProductTypesDoc struct {
	DataProductTypes []DataProductType `json:"dataProductTypes"`
}

// GetDataProductTypes returns the organization's data product types.
func (c *Client) GetDataProductTypes(ctx context.Context) ([]DataProductType, error) {
	var out dataProductTypesDoc
	if _, err := c.do(ctx, call{op: "get data product types", method: http.MethodGet, path: []string{"settings", "dataproduct-types"}, out: &out}); err != nil {
		return nil, err
	}
	if out.DataProductTypes == nil {
		out.DataProductTypes = []DataProductType{}
	}
	return out.DataProductTypes, nil
}

// PutDataProductTypes replaces the whole list of data product types.
func (c *Client) PutDataProductTypes(ctx context.Context, types []DataProductType) error {
	if types == nil {
		types = []DataProductType{}
	}
	_, err := c.do(ctx, call{op: "update data product types", method: http.MethodPut, path: []string{"settings", "dataproduct-types"}, body: dataProductTypesDoc{types}})
	return err
}
