package dataproduct

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

func TestAgreementID(t *testing.T) {
	k := upstreamKey{"snowflake-orders", "orders"}
	id := agreementBaseID("revenue-model", k)
	if id != agreementBaseID("revenue-model", k) {
		t.Fatal("agreement ids are not deterministic")
	}
	if !strings.HasPrefix(id, "revenue-model--snowflake-orders--orders-") {
		t.Errorf("id %q is not readable", id)
	}
	if agreementBaseID("revenue-model", upstreamKey{"snowflake-orders", "orders2"}) == id ||
		agreementBaseID("revenue-model2", k) == id {
		t.Error("different parties share an id")
	}
	// Ids the API cannot take as a path segment are made safe, and long ones are shortened.
	for _, tc := range []struct{ consumer, dp, port string }{
		{"a", "b", "port/with spaces..and/slashes"},
		{strings.Repeat("c", 128), strings.Repeat("d", 128), strings.Repeat("e", 256)},
		{"x", "ünïcode", "ポート"},
	} {
		id := agreementBaseID(tc.consumer, upstreamKey{tc.dp, tc.port})
		for _, candidate := range []string{id, agreementID(id, 7)} {
			if reason := checkExternalID(candidate); reason != "" {
				t.Errorf("agreement id %q is not a valid id: %s", candidate, reason)
			}
		}
	}
	if agreementID(id, 1) != id || agreementID(id, 2) != id+"-2" {
		t.Errorf("generations: %q, %q", agreementID(id, 1), agreementID(id, 2))
	}
}

// checkExternalID applies the provider's id validator to a plain string.
func checkExternalID(s string) string {
	var resp validator.StringResponse
	validate.ExternalID().ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("id"), ConfigValue: types.StringValue(s),
	}, &resp)
	if resp.Diagnostics.HasError() {
		return resp.Diagnostics.Errors()[0].Detail()
	}
	return ""
}

// A team-scoped key may request an agreement with another team's product
// but not approve it: the link stays requested, with a warning that names
// the team that must approve it.
func TestLinkWithTeamKeyWarns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a sandbox")
	}
	sb := startSandbox(t)
	ctx := context.Background()
	client, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.TeamAPIKey, HTTPClient: sb.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.PutDataProduct(ctx, entropydata.DataProduct{ID: "consumer", Info: entropydata.DataProductInfo{
		Title: "Consumer", Owner: "finance", Archetype: entropydata.DataProductTypePowerBIReport,
	}}); err != nil {
		t.Fatal(err)
	}
	l := lineage{client: client, now: time.Now}
	var diags diag.Diagnostics
	entries := l.apply(ctx, "consumer", nil, []upstreamKey{{"snowflake-orders", "orders"}}, &diags)
	if diags.HasError() {
		t.Fatalf("errors: %v", diags)
	}
	if len(entries) != 1 || entries[0].Status != entropydata.AccessRequested || entries[0].AccessID == "" {
		t.Fatalf("entries %+v", entries)
	}
	warnings := diags.Warnings()
	if len(warnings) != 1 {
		t.Fatalf("want one warning, got %v", diags)
	}
	w := warnings[0]
	if w.Summary() != "Access agreement awaits approval" || !strings.Contains(w.Detail(), `the team "data-platform" must approve it`) ||
		!strings.Contains(w.Detail(), entries[0].AccessID) {
		t.Errorf("warning: %s: %s", w.Summary(), w.Detail())
	}

	// Reading back keeps it; removing the link withdraws the request.
	read, err := l.read(ctx, "consumer", entries)
	if err != nil || len(read) != 1 || read[0] != entries[0] {
		t.Fatalf("read %+v, %v", read, err)
	}
	diags = nil
	if left := l.apply(ctx, "consumer", entries, nil, &diags); len(left) != 0 || diags.HasError() {
		t.Fatalf("after removal: %+v, %v", left, diags)
	}
	if _, err := client.GetAccess(ctx, entries[0].AccessID); !entropydata.IsNotFound(err) {
		t.Errorf("the withdrawn request still exists: %v", err)
	}
}

// Linking again after a canceled agreement takes the next id, since a
// canceled agreement cannot be approved again.
func TestLinkAgainAfterCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a sandbox")
	}
	sb := startSandbox(t)
	ctx := context.Background()
	client, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: sb.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.PutDataProduct(ctx, entropydata.DataProduct{ID: "consumer", Info: entropydata.DataProductInfo{Title: "C", Owner: "finance"}}); err != nil {
		t.Fatal(err)
	}
	l := lineage{client: client, now: time.Now}
	k := []upstreamKey{{"snowflake-orders", "orders"}}
	var diags diag.Diagnostics
	first := l.apply(ctx, "consumer", nil, k, &diags)
	gone := l.apply(ctx, "consumer", first, nil, &diags)
	again := l.apply(ctx, "consumer", gone, k, &diags)
	if diags.HasError() || len(first) != 1 || len(gone) != 0 || len(again) != 1 {
		t.Fatalf("first %+v, gone %+v, again %+v: %v", first, gone, again, diags)
	}
	if first[0].Status != "approved" || again[0].Status != "approved" || again[0].AccessID != agreementID(first[0].AccessID, 2) {
		t.Errorf("first %+v, again %+v", first[0], again[0])
	}
	read, err := l.read(ctx, "consumer", nil)
	if err != nil || len(read) != 1 || read[0] != again[0] {
		t.Errorf("read after import: %+v, %v", read, err)
	}
}

// startSandbox starts a sandbox of the test's own (acctest would be an import cycle here).
func startSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}
