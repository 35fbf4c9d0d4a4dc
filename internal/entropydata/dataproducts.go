package entropydata

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// DataProductSpecificationVersion is the DPS version this client writes.
const DataProductSpecificationVersion = "0.0.1"

// DataProduct in the Data Product Specification (DPS) 0.0.1 format, the one
// this client writes. The API may answer reads in the Open Data Product
// Standard (ODPS) format instead; those are converted on decode (see odps.go)
// and then have an empty DataProductSpecification.
type DataProduct struct {
	DataProductSpecification string            `json:"dataProductSpecification,omitempty"` // "0.0.1"; PutDataProduct fills it in
	ID                       string            `json:"id"`
	Info                     DataProductInfo   `json:"info"`
	InputPorts               []InputPort       `json:"inputPorts,omitempty"`
	OutputPorts              []OutputPort      `json:"outputPorts,omitempty"`
	Links                    map[string]string `json:"links,omitempty"`
	Custom                   map[string]string `json:"custom,omitempty"`
	Tags                     []string          `json:"tags,omitempty"`
	Assets                   []AssetRef        `json:"assets,omitempty"`
}

// DataProductInfo: Title and Owner (a team id) are required by DPS.
// Archetype carries the data product type id, e.g. "powerbi-semantic-model".
type DataProductInfo struct {
	Title       string `json:"title"`
	Owner       string `json:"owner"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status,omitempty"`
	Archetype   string `json:"archetype,omitempty"`
	Maturity    string `json:"maturity,omitempty"`
}

// InputPort of a data product; kept so a read-modify-write does not drop it.
type InputPort struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	Description    string            `json:"description,omitempty"`
	SourceSystemID string            `json:"sourceSystemId"`
	Type           string            `json:"type,omitempty"`
	Location       string            `json:"location,omitempty"`
	Links          map[string]string `json:"links,omitempty"`
	Custom         map[string]string `json:"custom,omitempty"`
	Tags           []string          `json:"tags,omitempty"`
}

// OutputPort of a data product; ID and Name are required by DPS.
type OutputPort struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	Description    string            `json:"description,omitempty"`
	Type           string            `json:"type,omitempty"`
	Status         string            `json:"status,omitempty"`
	Server         map[string]any    `json:"server,omitempty"`
	Links          map[string]string `json:"links,omitempty"`
	Custom         map[string]string `json:"custom,omitempty"`
	ContainsPii    *bool             `json:"containsPii,omitempty"`
	AutoApprove    *bool             `json:"autoApprove,omitempty"`
	DataContractID string            `json:"dataContractId,omitempty"`
	Tags           []string          `json:"tags,omitempty"`
	Assets         []AssetRef        `json:"assets,omitempty"`
}

// AssetRef links a data product or output port to an asset.
type AssetRef struct {
	AssetID string   `json:"assetId"`
	Tags    []string `json:"tags,omitempty"`
}

// UnmarshalJSON accepts DPS and, best effort, ODPS ("kind": "DataProduct").
func (dp *DataProduct) UnmarshalJSON(b []byte) error {
	var probe struct {
		Spec       string `json:"dataProductSpecification"`
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	if probe.Spec == "" && (probe.Kind == "DataProduct" || probe.APIVersion != "") {
		return dp.fromODPS(b)
	}
	type plain DataProduct // no UnmarshalJSON: avoids recursion
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*dp = DataProduct(p)
	return nil
}

// ListDataProductsOptions filters ListDataProducts; zero values do not filter.
type ListDataProductsOptions struct {
	Archetype string // the data product type id
	TeamID    string // owning team
	Status    string
}

// PutDataProduct creates or replaces the data product dp.ID (as DPS 0.0.1).
func (c *Client) PutDataProduct(ctx context.Context, dp DataProduct) error {
	if dp.DataProductSpecification == "" {
		dp.DataProductSpecification = DataProductSpecificationVersion
	}
	_, err := c.do(ctx, call{op: "create or update data product", object: dp.ID, method: http.MethodPut, path: []string{"dataproducts", dp.ID}, body: dp})
	return err
}

// GetDataProduct returns the data product with all output ports.
func (c *Client) GetDataProduct(ctx context.Context, id string) (*DataProduct, error) {
	var out DataProduct
	if _, err := c.do(ctx, call{op: "get data product", object: id, method: http.MethodGet, path: []string{"dataproducts", id}, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDataProduct deletes the data product. The API answers 422
// (ErrValidation) while an active access uses it; a missing one is ErrNotFound.
func (c *Client) DeleteDataProduct(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: "delete data product", object: id, method: http.MethodDelete, path: []string{"dataproducts", id}})
	return err
}

// ListDataProducts returns all matching data products, following all pages.
// The API may return only top-level properties here; use GetDataProduct for details.
func (c *Client) ListDataProducts(ctx context.Context, opts ListDataProductsOptions) ([]DataProduct, error) {
	q := url.Values{}
	if opts.Archetype != "" {
		q.Set("archetype", opts.Archetype)
	}
	if opts.TeamID != "" {
		q.Set("teamId", opts.TeamID)
	}
	if opts.Status != "" {
		q.Set("status", opts.Status)
	}
	return listAll[DataProduct](ctx, c, call{op: "list data products", method: http.MethodGet, path: []string{"dataproducts"}, query: q})
}
