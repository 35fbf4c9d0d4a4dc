package entropydata

import (
	"context"
	"testing"
)

func TestGetDataProductScore(t *testing.T) {
	srv := routeServer(t, map[string]route{
		"GET /api/dataproducts/revenue/score": {200, `{"dataProductId":"revenue","score":87.5,"updatedAt":"2026-01-02T03:04:05Z",
			"outputPorts":[{"outputPortId":"semantic-model","score":87.5,"testResultId":"r1","result":"warning","testedAt":"2026-01-02T03:04:05Z"},
			{"outputPortId":"other","score":null}]}`, ""},
		"GET /api/dataproducts/new/score": {200, `{"dataProductId":"new","score":null,"updatedAt":null,"outputPorts":[]}`, ""},
	})
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()

	s, err := c.GetDataProductScore(ctx, "revenue")
	if err != nil {
		t.Fatal(err)
	}
	if s.Score == nil || *s.Score != 87.5 || s.UpdatedAt == nil || len(s.OutputPorts) != 2 ||
		s.OutputPorts[0].Result != "warning" || s.OutputPorts[0].TestResultID != "r1" || s.OutputPorts[1].Score != nil {
		t.Errorf("decoded %+v", s)
	}

	s, err = c.GetDataProductScore(ctx, "new")
	if err != nil || s.Score != nil || s.UpdatedAt != nil {
		t.Errorf("no quality data: %+v, %v", s, err)
	}

	if _, err := c.GetDataProductScore(ctx, "missing"); !IsNotFound(err) {
		t.Errorf("unknown product: want ErrNotFound, got %v", err)
	}
}
