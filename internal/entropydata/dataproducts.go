package entropydata

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// DataProductSpecificationVersion is the DPS version this client writes.
const DataProductSpecificationVersion = "0.0.1"

// DataProduct in the Data Product Specification (DPS) 0.0.1 format. The API
// may answer reads in the Open Data Product Standard (ODPS) format instead;
// those are converted on decode (see odps.go) and then have an empty
// DataProductSpecification.
//
// The format rule: a data product read from the server keeps the document
// as it was returned, and PutDataProduct writes that document back, in its
// format (DPS stays DPS, ODPS stays ODPS), with the fields below overlaid
// (see dataproduct_write.go): what this view does not model survives. A data
// product built in Go (a new one) is written as DPS 0.0.1, whose flat info
// and custom map every server accepts.
type DataProduct struct {
	DataProductSpecification string          `json:"dataProductSpecification,omitempty"` // "0.0.1"; PutDataProduct fills it in
	ID                       string          `json:"id"`
	Info                     DataProductInfo `json:"info"`
	InputPorts               []InputPort     `json:"inputPorts,omitempty"`
	OutputPorts              []OutputPort    `json:"outputPorts,omitempty"`
	Links                    TextMap         `json:"links,omitempty"`
	Custom                   TextMap         `json:"custom,omitempty"`
	Tags                     []string        `json:"tags,omitempty"`
	Assets                   []AssetRef      `json:"assets,omitempty"`

	raw  []byte // the document as the server returned it; nil for one built in Go
	odps bool   // raw is ODPS
}

// ODPS reports whether the server returned the data product in ODPS.
func (dp *DataProduct) ODPS() bool { return dp.odps }

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
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Description    string   `json:"description,omitempty"`
	SourceSystemID string   `json:"sourceSystemId"`
	Type           string   `json:"type,omitempty"`
	Location       string   `json:"location,omitempty"`
	Links          TextMap  `json:"links,omitempty"`
	Custom         TextMap  `json:"custom,omitempty"`
	Tags           []string `json:"tags,omitempty"`
}

// OutputPort of a data product; ID and Name are required by DPS.
type OutputPort struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	Description    string         `json:"description,omitempty"`
	Type           string         `json:"type,omitempty"`
	Status         string         `json:"status,omitempty"`
	Server         map[string]any `json:"server,omitempty"`
	Links          TextMap        `json:"links,omitempty"`
	Custom         TextMap        `json:"custom,omitempty"`
	ContainsPii    *bool          `json:"containsPii,omitempty"`
	AutoApprove    *bool          `json:"autoApprove,omitempty"`
	DataContractID string         `json:"dataContractId,omitempty"`
	Tags           []string       `json:"tags,omitempty"`
	Assets         []AssetRef     `json:"assets,omitempty"`
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
		if err := dp.fromODPS(b); err != nil {
			return err
		}
		dp.raw, dp.odps = bytes.Clone(b), true
		return nil
	}
	type plain DataProduct // no UnmarshalJSON: avoids recursion
	var p plain
	if err := lenient(b, &p); err != nil {
		return err
	}
	*dp = DataProduct(p)
	dp.raw = bytes.Clone(b)
	return nil
}

// ListDataProductsOptions filters ListDataProducts; zero values do not filter.
type ListDataProductsOptions struct {
	Archetype string // the data product type id
	TeamID    string // owning team
	Status    string
}

// PutDataProduct creates or replaces the data product dp.ID: a data product
// that was read is written in the format it was returned in, onto the
// returned document; a new one as DPS 0.0.1.
func (c *Client) PutDataProduct(ctx context.Context, dp DataProduct) error {
	if dp.DataProductSpecification == "" && !dp.odps {
		dp.DataProductSpecification = DataProductSpecificationVersion
	}
	body, err := dp.document()
	if err != nil {
		return fmt.Errorf("create or update data product %q: encoding the request: %w", dp.ID, err)
	}
	_, err = c.do(ctx, call{op: "create or update data product", object: dp.ID, method: http.MethodPut, path: []string{"dataproducts", dp.ID}, body: body})
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

// TextMap is a map of text values, such as DPS custom and links. Decoding
// keeps the string values and skips others (a server may store numbers or
// objects there): those are not part of the view, and a write keeps them.
type TextMap map[string]string

// UnmarshalJSON reads the string values of an object.
func (m *TextMap) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	if all == nil {
		*m = nil
		return nil
	}
	out := TextMap{}
	for k, v := range all {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
		}
	}
	*m = out
	return nil
}
