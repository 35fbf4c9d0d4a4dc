package dataproduct

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// checkCounts are the checks of one test result, by outcome.
type checkCounts struct{ passed, failed, total int64 }

// readQuality reads the score and, per output port, the latest data contract
// test result. The score already names each port's latest result, so a
// refresh costs one request per data product; a result's checks are fetched
// only when the result is new (prior holds the counts of the last one seen).
// A server without the score endpoint falls back to the documented test
// results list (test results name an output port as the server
// "<dataProductId>/<outputPortId>"). Quality is for information only, so a
// failed read is a warning, never a failed refresh.
func readQuality(ctx context.Context, client *entropydata.Client, dp *entropydata.DataProduct, prior types.Object, diags *diag.Diagnostics) types.Object {
	s, err := client.GetDataProductScore(ctx, dp.ID)
	return qualityOf(ctx, client, dp, s, err, prior, diags)
}

// qualityOf is readQuality with the score already read (s, err).
//
// There is no shared read of quality: the list of scores
// (GET /api/dataproducts/scores, used by the CLI) has no per-port test
// results, so a refresh costs this one request per data product.
func qualityOf(ctx context.Context, client *entropydata.Client, dp *entropydata.DataProduct, s *entropydata.DataProductScore, err error, prior types.Object, diags *diag.Diagnostics) types.Object {
	known := priorCounts(prior)
	score := types.Float64Null()
	results := []attr.Value{}

	switch {
	case entropydata.IsNotFound(err):
		results = testResultsFromList(ctx, client, dp, known, diags)
	case err != nil:
		addAPIWarning(diags, "Could not read the data product's quality score", err)
	default:
		if s.Score != nil {
			score = types.Float64Value(*s.Score)
		}
		for _, p := range s.OutputPorts {
			if p.TestResultID == "" {
				continue
			}
			results = append(results, testResultValue(p.OutputPortID, p.TestResultID, p.Result, p.TestedAt,
				checksOf(ctx, client, p.TestResultID, known, diags)))
		}
	}
	return types.ObjectValueMust(qualityAttrTypes, map[string]attr.Value{
		"score":        score,
		"test_results": types.ListValueMust(types.ObjectType{AttrTypes: testResultAttrTypes}, results),
	})
}

// testResultsFromList reads each port's latest result from /api/test-results.
func testResultsFromList(ctx context.Context, client *entropydata.Client, dp *entropydata.DataProduct, known map[string]checkCounts, diags *diag.Diagnostics) []attr.Value {
	results := []attr.Value{}
	for _, p := range dp.OutputPorts {
		list, err := client.ListTestResults(ctx, entropydata.ListTestResultsOptions{Server: dp.ID + "/" + p.ID, MaxResults: 1})
		if err != nil {
			addAPIWarning(diags, "Could not read the test results of output port "+p.ID, err)
			break
		}
		if len(list) == 0 {
			continue
		}
		latest := list[0]
		var end *time.Time
		if !latest.TimestampEnd.IsZero() {
			end = &latest.TimestampEnd
		}
		results = append(results, testResultValue(p.ID, latest.ID, latest.Result, end, checksOf(ctx, client, latest.ID, known, diags)))
	}
	return results
}

// checksOf counts a test result's checks; lists leave the checks out, so
// this takes one request for a result not seen before.
func checksOf(ctx context.Context, client *entropydata.Client, id string, known map[string]checkCounts, diags *diag.Diagnostics) checkCounts {
	if c, ok := known[id]; ok {
		return c
	}
	full, err := client.GetTestResult(ctx, id)
	if err != nil {
		if !entropydata.IsNotFound(err) {
			addAPIWarning(diags, "Could not read test result "+id, err)
		}
		return checkCounts{}
	}
	c := checkCounts{total: int64(len(full.Checks))}
	for _, ch := range full.Checks {
		switch ch.Result {
		case "passed":
			c.passed++
		case "failed", "error":
			c.failed++
		}
	}
	return c
}

func testResultValue(port, id, result string, testedAt *time.Time, c checkCounts) attr.Value {
	at := types.StringNull()
	if testedAt != nil && !testedAt.IsZero() {
		at = types.StringValue(testedAt.UTC().Format(time.RFC3339))
	}
	return types.ObjectValueMust(testResultAttrTypes, map[string]attr.Value{
		"output_port_id": types.StringValue(port),
		"test_result_id": types.StringValue(id),
		"result":         types.StringValue(result),
		"tested_at":      at,
		"checks_passed":  types.Int64Value(c.passed),
		"checks_failed":  types.Int64Value(c.failed),
		"checks_total":   types.Int64Value(c.total),
	})
}

// priorCounts indexes the check counts already in state by test result id.
func priorCounts(prior types.Object) map[string]checkCounts {
	out := map[string]checkCounts{}
	if prior.IsNull() || prior.IsUnknown() {
		return out
	}
	list, ok := prior.Attributes()["test_results"].(types.List)
	if !ok || list.IsNull() || list.IsUnknown() {
		return out
	}
	for _, v := range list.Elements() {
		obj, ok := v.(types.Object)
		if !ok {
			continue
		}
		a := obj.Attributes()
		id, _ := a["test_result_id"].(types.String)
		passed, _ := a["checks_passed"].(types.Int64)
		failed, _ := a["checks_failed"].(types.Int64)
		total, _ := a["checks_total"].(types.Int64)
		if id.ValueString() != "" {
			out[id.ValueString()] = checkCounts{passed.ValueInt64(), failed.ValueInt64(), total.ValueInt64()}
		}
	}
	return out
}

func addAPIWarning(diags *diag.Diagnostics, summary string, err error) {
	diags.AddWarning(summary, err.Error())
}
