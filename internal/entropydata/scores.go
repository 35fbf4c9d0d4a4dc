package entropydata

import (
	"context"
	"net/http"
	"time"
)

// DataProductScore is the quality score of a data product, from
// GET /api/dataproducts/{id}/score.
//
// INFERRED: the endpoint is not in the public OpenAPI document (the official
// CLI calls it). Its body is taken to be {dataProductId, score (0-100, null
// when there is no quality data), updatedAt (null likewise), outputPorts:
// [{outputPortId, score, testResultId, result, testedAt}]}, the breakdown per
// output port from the port's latest data contract test result. This is the
// only place that knows the shape.
type DataProductScore struct {
	DataProductID string            `json:"dataProductId"`
	Score         *float64          `json:"score"`
	UpdatedAt     *time.Time        `json:"updatedAt"`
	OutputPorts   []OutputPortScore `json:"outputPorts"`
}

// OutputPortScore is one output port's part of a DataProductScore.
type OutputPortScore struct {
	OutputPortID string     `json:"outputPortId"`
	Score        *float64   `json:"score"`
	TestResultID string     `json:"testResultId,omitempty"`
	Result       string     `json:"result,omitempty"`
	TestedAt     *time.Time `json:"testedAt,omitempty"`
}

// GetDataProductScore returns the data product's quality score. A server
// without the (undocumented) endpoint answers 404, as for an unknown product.
func (c *Client) GetDataProductScore(ctx context.Context, id string) (*DataProductScore, error) {
	var out DataProductScore
	if _, err := c.do(ctx, call{op: "get data product score", object: id, method: http.MethodGet, path: []string{"dataproducts", id, "score"}, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}
