package dataproduct

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// readQuality reads the score and, per output port, the latest data contract
// test result (test results name an output port as the server
// "<dataProductId>/<outputPortId>"). A server without the score endpoint
// gives a null score. Quality is for information only, so a failed read is a
// warning (the value shows what could be read), never a failed refresh.
func readQuality(ctx context.Context, client *entropydata.Client, dp *entropydata.DataProduct, diags *diag.Diagnostics) types.Object {
	score := types.Float64Null()
	s, err := client.GetDataProductScore(ctx, dp.ID)
	switch {
	case entropydata.IsNotFound(err):
	case err != nil:
		addAPIWarning(diags, "Could not read the data product's quality score", err)
	case s.Score != nil:
		score = types.Float64Value(*s.Score)
	}

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
		// The list leaves out the checks; the single result has them.
		full, err := client.GetTestResult(ctx, latest.ID)
		switch {
		case entropydata.IsNotFound(err):
			full = &latest
		case err != nil:
			addAPIWarning(diags, "Could not read test result "+latest.ID, err)
			full = &latest
		}
		var passed, failed int64
		for _, c := range full.Checks {
			switch c.Result {
			case "passed":
				passed++
			case "failed", "error":
				failed++
			}
		}
		testedAt := types.StringNull()
		if !latest.TimestampEnd.IsZero() {
			testedAt = types.StringValue(latest.TimestampEnd.UTC().Format(time.RFC3339))
		}
		results = append(results, types.ObjectValueMust(testResultAttrTypes, map[string]attr.Value{
			"output_port_id": types.StringValue(p.ID),
			"result":         types.StringValue(latest.Result),
			"tested_at":      testedAt,
			"checks_passed":  types.Int64Value(passed),
			"checks_failed":  types.Int64Value(failed),
			"checks_total":   types.Int64Value(int64(len(full.Checks))),
		}))
	}
	return types.ObjectValueMust(qualityAttrTypes, map[string]attr.Value{
		"score":        score,
		"test_results": types.ListValueMust(types.ObjectType{AttrTypes: testResultAttrTypes}, results),
	})
}

func addAPIWarning(diags *diag.Diagnostics, summary string, err error) {
	diags.AddWarning(summary, err.Error())
}
