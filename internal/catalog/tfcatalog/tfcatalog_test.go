package tfcatalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog/catalogtest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/report"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
)

// read runs a data source's Read on a configuration of string attributes
// (the rest null), as Terraform would, and returns the diagnostics and the
// resulting state.
func read(t *testing.T, sb *sandbox.Sandbox, ds datasource.DataSource, config map[string]string) (diag.Diagnostics, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	client, err := entropydata.New(entropydata.Config{Host: sb.APIURL, APIKey: sb.APIKey, HTTPClient: sb.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	var cr datasource.ConfigureResponse
	ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: &providerdata.ProviderData{Client: client}}, &cr)
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := config[name]; ok {
			values[name] = tftypes.NewValue(tftypes.String, v)
		} else {
			values[name] = tftypes.NewValue(at, nil)
		}
	}
	raw := tftypes.NewValue(typ, values)
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: raw.Copy()}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}, &resp)
	return resp.Diagnostics, resp.State
}

// An unknown integration is an error on the attribute that says how to
// order the read after the integration (an empty list would make for_each
// plan to destroy everything built from it); an integration that imported
// nothing gives an empty list and no diagnostic.
func TestListRejectsUnknownIntegration(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	if _, err := sb.Ingest(context.Background(), "imports-nothing", "", catalogtest.Workspaces("No such workspace")); err != nil {
		t.Fatal(err)
	}
	diags, _ := read(t, sb, report.NewListDataSource(), map[string]string{"integration": "no-such-integration"})
	if diags.ErrorsCount() != 1 {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	e := diags.Errors()[0]
	if e.Summary() != "Unknown integration" || !strings.Contains(e.Detail(), `no integration with external id "no-such-integration"`) ||
		!strings.Contains(e.Detail(), "depends_on = [entropydata_powerbi_integration.") {
		t.Errorf("error = %s: %s", e.Summary(), e.Detail())
	}
	if ep, ok := e.(diag.DiagnosticWithPath); !ok || !ep.Path().Equal(path.Root("integration")) {
		t.Errorf("error is not on the integration attribute: %#v", e)
	}
	for _, tc := range []struct{ integration string }{{"imports-nothing"}} {
		diags, state := read(t, sb, report.NewListDataSource(), map[string]string{"integration": tc.integration})
		if len(diags) != 0 {
			t.Errorf("%s: diagnostics %v, want none", tc.integration, diags)
		}
		for _, attr := range []string{"ids", "reports"} {
			var l types.List
			state.GetAttribute(context.Background(), path.Root(attr), &l)
			if l.IsNull() || len(l.Elements()) != 0 {
				t.Errorf("%s: %s = %v, want an empty list", tc.integration, attr, l)
			}
		}
	}
}
