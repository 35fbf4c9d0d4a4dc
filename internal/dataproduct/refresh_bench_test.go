package dataproduct_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entropy-data/terraform-provider-entropydata/internal/acctest"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/provider"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

const resourceType = "entropydata_powerbi_data_product"

// BenchmarkRefreshPlan is the provider's share of a no-change plan for one
// semantic model data product of the large tenant's shape (4 tables of 10
// columns), as Terraform asks for it: UpgradeResourceState, ReadResource and
// PlanResourceChange, served in-process against the sandbox. `make bench`
// measures the whole of Terraform at scale; this one isolates what the
// provider's code and schema cost per resource, with allocations and API
// requests per operation.
func BenchmarkRefreshPlan(b *testing.B) {
	sb := acctest.StartSandbox(b, sandbox.Options{Tenant: tenant.Generate(tenant.GenerateOptions{Workspaces: 1})})
	acctest.Ingest(b, sb)
	var model string
	for _, a := range sb.API.Assets() {
		if a.Info.Type == entropydata.AssetTypePowerBISemanticModel {
			model = a.ID
			break
		}
	}
	p := newProtocolClient(b, sb)
	config := p.resourceValue(map[string]tftypes.Value{
		"id":         tftypes.NewValue(tftypes.String, acctest.Unique("bench")),
		"type":       tftypes.NewValue(tftypes.String, "semantic_model"),
		"asset_id":   tftypes.NewValue(tftypes.String, model),
		"title":      tftypes.NewValue(tftypes.String, "Benchmark"),
		"owner_team": tftypes.NewValue(tftypes.String, "finance"),
	})
	state := p.create(config)
	stateJSON := jsonOf(b, state)

	b.ReportAllocs()
	before := sb.Faults.Total()
	for b.Loop() {
		p.newCommand()
		upgraded := p.upgrade(stateJSON)
		refreshed := p.read(upgraded)
		planned := p.plan(refreshed, config)
		if !planned.Equal(refreshed) {
			b.Fatalf("the plan is not empty:\nplanned %s\nrefreshed %s", planned, refreshed)
		}
	}
	b.ReportMetric(float64(sb.Faults.Total()-before)/float64(b.N), "requests/op")
}

// protocolClient calls the provider the way Terraform does, over the plugin
// protocol's Go interface.
type protocolClient struct {
	b      testing.TB
	ctx    context.Context
	server tfprotov6.ProviderServer
	typ    tftypes.Object // the resource's value type
	schema *tfprotov6.Schema
	// providerConfig is the provider block, for newCommand.
	providerConfig *tfprotov6.DynamicValue
}

func newProtocolClient(b testing.TB, sb *sandbox.Sandbox) *protocolClient {
	ctx := context.Background()
	server := providerserver.NewProtocol6(provider.New("bench", provider.WithHTTPClient(sb.HTTPClient()))())()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		b.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	cfg := objectValue(providerType, map[string]tftypes.Value{
		"host":                 tftypes.NewValue(tftypes.String, sb.APIURL),
		"api_key":              tftypes.NewValue(tftypes.String, sb.APIKey),
		"entra_authority_host": tftypes.NewValue(tftypes.String, sb.AuthorityHost),
		"powerbi_endpoint":     tftypes.NewValue(tftypes.String, sb.PowerBIEndpoint),
	})
	s := schemas.ResourceSchemas[resourceType]
	p := &protocolClient{b: b, ctx: ctx, server: server, typ: s.ValueType().(tftypes.Object), schema: s,
		providerConfig: dynamic(b, providerType, cfg)}
	p.newCommand()
	return p
}

// newCommand configures the provider again, as Terraform does for each
// command: what one command's readers shared (the client's shared asset
// reads) is not seen by the next.
func (p *protocolClient) newCommand() {
	resp, err := p.server.ConfigureProvider(p.ctx, &tfprotov6.ConfigureProviderRequest{Config: p.providerConfig})
	if err != nil || len(resp.Diagnostics) > 0 {
		p.b.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
}

// resourceValue is a resource object with the given attributes, the rest null.
func (p *protocolClient) resourceValue(attrs map[string]tftypes.Value) tftypes.Value {
	return objectValue(p.typ, attrs)
}

func (p *protocolClient) create(config tftypes.Value) tftypes.Value {
	null := tftypes.NewValue(p.typ, nil)
	planned := p.planFrom(null, config, config)
	resp, err := p.server.ApplyResourceChange(p.ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: resourceType, PriorState: dynamic(p.b, p.typ, null), PlannedState: dynamic(p.b, p.typ, planned),
		Config: dynamic(p.b, p.typ, config),
	})
	return p.value("apply", err, resp.Diagnostics, resp.NewState)
}

func (p *protocolClient) upgrade(stateJSON []byte) tftypes.Value {
	resp, err := p.server.UpgradeResourceState(p.ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: resourceType, Version: p.schema.Version, RawState: &tfprotov6.RawState{JSON: stateJSON},
	})
	return p.value("upgrade", err, resp.Diagnostics, resp.UpgradedState)
}

func (p *protocolClient) read(state tftypes.Value) tftypes.Value {
	resp, err := p.server.ReadResource(p.ctx, &tfprotov6.ReadResourceRequest{
		TypeName: resourceType, CurrentState: dynamic(p.b, p.typ, state),
	})
	return p.value("read", err, resp.Diagnostics, resp.NewState)
}

// plan plans config against the prior state, proposing what Terraform
// would: the configured values, and the prior ones where the configuration
// leaves a computed attribute out.
func (p *protocolClient) plan(prior, config tftypes.Value) tftypes.Value {
	var priorAttrs, configAttrs map[string]tftypes.Value
	if err := prior.As(&priorAttrs); err != nil {
		p.b.Fatal(err)
	}
	if err := config.As(&configAttrs); err != nil {
		p.b.Fatal(err)
	}
	proposed := map[string]tftypes.Value{}
	for _, a := range p.schema.Block.Attributes {
		proposed[a.Name] = configAttrs[a.Name]
		if a.Computed && configAttrs[a.Name].IsNull() {
			proposed[a.Name] = priorAttrs[a.Name]
		}
	}
	return p.planFrom(prior, tftypes.NewValue(p.typ, proposed), config)
}

func (p *protocolClient) planFrom(prior, proposed, config tftypes.Value) tftypes.Value {
	resp, err := p.server.PlanResourceChange(p.ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: resourceType, PriorState: dynamic(p.b, p.typ, prior),
		ProposedNewState: dynamic(p.b, p.typ, proposed), Config: dynamic(p.b, p.typ, config),
	})
	return p.value("plan", err, resp.Diagnostics, resp.PlannedState)
}

func (p *protocolClient) value(op string, err error, diags []*tfprotov6.Diagnostic, dv *tfprotov6.DynamicValue) tftypes.Value {
	p.b.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			err = fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	if err != nil {
		p.b.Fatalf("%s: %v", op, err)
	}
	v, err := dv.Unmarshal(p.typ)
	if err != nil {
		p.b.Fatalf("%s: %v", op, err)
	}
	return v
}

func objectValue(typ tftypes.Object, attrs map[string]tftypes.Value) tftypes.Value {
	all := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		all[name] = tftypes.NewValue(t, nil)
		if v, ok := attrs[name]; ok {
			all[name] = v
		}
	}
	return tftypes.NewValue(typ, all)
}

func dynamic(b testing.TB, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

// jsonOf renders a value as Terraform stores it in a state file.
func jsonOf(b testing.TB, v tftypes.Value) []byte {
	out, err := json.Marshal(plain(b, v))
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func plain(b testing.TB, v tftypes.Value) any {
	if v.IsNull() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var x bool
		_ = v.As(&x)
		return x
	case v.Type().Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		f, _ := n.Float64()
		return f
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}), v.Type().Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			out = append(out, plain(b, e))
		}
		return out
	default: // object or map
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			b.Fatal(err)
		}
		out := make(map[string]any, len(attrs))
		for k, e := range attrs {
			out[k] = plain(b, e)
		}
		return out
	}
}

// TestRequestsPerOperation pins the requests of a semantic model data
// product without upstream through the operations of the commands users
// run most: a refresh reads its own document, its score and its asset (at
// once); the no-change plan that follows reuses the asset and makes no
// request; a destroy deletes without listing agreements first.
func TestRequestsPerOperation(t *testing.T) {
	sb := acctest.StartSandbox(t, sandbox.Options{})
	acctest.Ingest(t, sb, "Finance")
	p := newProtocolClient(t, sb)
	id := acctest.Unique("requests")
	config := p.resourceValue(map[string]tftypes.Value{
		"id":         tftypes.NewValue(tftypes.String, id),
		"type":       tftypes.NewValue(tftypes.String, "semantic_model"),
		"asset_id":   tftypes.NewValue(tftypes.String, entropydata.PowerBIAssetID(tenant.DemoDatasetRevenue)),
		"title":      tftypes.NewValue(tftypes.String, "Requests"),
		"owner_team": tftypes.NewValue(tftypes.String, "finance"),
		"upstream":   tftypes.NewValue(tftypes.List{ElementType: p.typ.AttributeTypes["upstream"].(tftypes.List).ElementType}, []tftypes.Value{}),
	})
	state := p.create(config)

	requests := func(op func()) map[string]int {
		before := sb.Faults.Counts()
		op()
		diff := map[string]int{}
		for k, n := range sb.Faults.Counts() {
			if d := n - before[k]; d > 0 {
				diff[k] = d
			}
		}
		return diff
	}
	var refreshed tftypes.Value
	p.newCommand() // a plan after the apply
	got := requests(func() { refreshed = p.read(state) })
	want := map[string]int{"GET /api/dataproducts/{id}": 1, "GET /api/dataproducts/{id}/score": 1, "GET /api/assets/{id}": 1}
	if !maps.Equal(got, want) {
		t.Errorf("refresh made %v, want %v", got, want)
	}
	got = requests(func() {
		if planned := p.plan(refreshed, config); !planned.Equal(refreshed) {
			t.Errorf("the plan is not empty:\nplanned %s\nrefreshed %s", planned, refreshed)
		}
	})
	if len(got) != 0 {
		t.Errorf("the no-change plan after the refresh made %v, want none", got)
	}
	p.newCommand() // the apply of a destroy, after its plan
	got = requests(func() { p.destroy(refreshed) })
	if want := map[string]int{"DELETE /api/dataproducts/{id}": 1}; !maps.Equal(got, want) {
		t.Errorf("destroy made %v, want %v", got, want)
	}
}

// destroy plans and applies the deletion of state.
func (p *protocolClient) destroy(state tftypes.Value) {
	null := tftypes.NewValue(p.typ, nil)
	planned := p.planFrom(state, null, null)
	resp, err := p.server.ApplyResourceChange(p.ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: resourceType, PriorState: dynamic(p.b, p.typ, state), PlannedState: dynamic(p.b, p.typ, planned),
		Config: dynamic(p.b, p.typ, null),
	})
	if err == nil {
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				err = fmt.Errorf("%s: %s", d.Summary, d.Detail)
			}
		}
	}
	if err != nil {
		p.b.Fatalf("destroy: %v", err)
	}
}
