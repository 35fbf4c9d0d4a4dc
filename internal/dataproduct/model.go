package dataproduct

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// Values of the type attribute, and the data product type ids (DPS
// info.archetype) they stand for.
const (
	TypeSemanticModel = "semantic_model"
	TypeReport        = "report"
)

var typeIDs = map[string]string{
	TypeSemanticModel: entropydata.DataProductTypePowerBISemanticModel,
	TypeReport:        entropydata.DataProductTypePowerBIReport,
}

// typeOfArchetype maps a DPS info.archetype back to the type attribute; "" when it is not a Power BI type.
func typeOfArchetype(archetype string) string {
	for t, id := range typeIDs {
		if id == archetype {
			return t
		}
	}
	return ""
}

const (
	// outputPortID is the fixed id of a semantic model data product's output
	// port, so that consumers can name it before the product exists.
	outputPortID = "semantic-model"
	// outputPortType is the DPS output port type of that port.
	outputPortType = "powerbi"

	// DPS 0.0.1 has no classification or confidentiality fields: they live in
	// the data product's custom map under these reserved keys (which the
	// custom attribute may not use, so they never churn).
	customClassification  = "classification"
	customConfidentiality = "confidentiality"
)

type resourceModel struct {
	ID              types.String `tfsdk:"id"`
	Type            types.String `tfsdk:"type"`
	AssetID         types.String `tfsdk:"asset_id"`
	Title           types.String `tfsdk:"title"`
	Description     types.String `tfsdk:"description"`
	OwnerTeam       types.String `tfsdk:"owner_team"`
	Status          types.String `tfsdk:"status"`
	Classification  types.String `tfsdk:"classification"`
	Confidentiality types.String `tfsdk:"confidentiality"`
	Tags            types.Set    `tfsdk:"tags"`
	Custom          types.Map    `tfsdk:"custom"`
	Upstream        types.List   `tfsdk:"upstream"`
	OutputPort      types.Object `tfsdk:"output_port"`
	Quality         types.Object `tfsdk:"quality"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type upstreamModel struct {
	DataProductID types.String `tfsdk:"data_product_id"`
	OutputPortID  types.String `tfsdk:"output_port_id"`
	AccessID      types.String `tfsdk:"access_id"`
	Status        types.String `tfsdk:"status"`
}

// upstreamKey names one upstream output port.
type upstreamKey struct{ DataProductID, OutputPortID string }

func (k upstreamKey) String() string { return fmt.Sprintf("%s/%s", k.DataProductID, k.OutputPortID) }

// upstreamEntry is a link with its access agreement.
type upstreamEntry struct {
	upstreamKey
	AccessID, Status string
}

// port is an output port as the resource shows it.
type port struct {
	ID, Name string
	Tables   []catalog.Table
}

// portOf builds the output port of a semantic model.
func portOf(m *catalog.SemanticModel) port {
	tables := slices.Clone(m.Tables)
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	return port{ID: outputPortID, Name: m.Name, Tables: tables}
}

// assetIDs are the assets the port references: the model, then its tables.
func (p port) assetIDs(modelAssetID string) []string {
	ids := []string{modelAssetID}
	for _, t := range p.Tables {
		ids = append(ids, t.AssetID)
	}
	return ids
}

func portValue(p *port) types.Object {
	if p == nil {
		return types.ObjectNull(outputPortAttrTypes)
	}
	tables := make(map[string]attr.Value, len(p.Tables))
	for _, t := range p.Tables {
		cols := make(map[string]attr.Value, len(t.Columns))
		for _, c := range t.Columns {
			cols[c.Name] = providerdata.StringOrNull(c.DataType)
		}
		tables[t.Name] = types.ObjectValueMust(tableAttrTypes, map[string]attr.Value{
			"id": types.StringValue(t.AssetID), "description": providerdata.StringOrNull(t.Description), "hidden": types.BoolValue(t.Hidden),
			"columns": types.MapValueMust(types.StringType, cols),
		})
	}
	return types.ObjectValueMust(outputPortAttrTypes, map[string]attr.Value{
		"id": types.StringValue(p.ID), "name": types.StringValue(p.Name),
		"tables": types.MapValueMust(types.ObjectType{AttrTypes: tableAttrTypes}, tables),
	})
}

// portFrom reads the output_port attribute; nil when it is null or unknown.
// Tables and columns come back sorted by name: the attribute does not keep
// the model's column order. It reads the values directly rather than through
// reflection, as every refresh of every data product does this.
func portFrom(obj types.Object) *port {
	if obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	attrs := obj.Attributes()
	p := &port{ID: stringOf(attrs["id"]), Name: stringOf(attrs["name"])}
	tables, _ := attrs["tables"].(types.Map)
	byName := tables.Elements()
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		table, _ := byName[name].(types.Object)
		ta := table.Attributes()
		hidden, _ := ta["hidden"].(types.Bool)
		t := catalog.Table{AssetID: stringOf(ta["id"]), Name: name, Description: stringOf(ta["description"]), Hidden: hidden.ValueBool()}
		columns, _ := ta["columns"].(types.Map)
		dataTypes := columns.Elements()
		for _, col := range slices.Sorted(maps.Keys(dataTypes)) {
			t.Columns = append(t.Columns, catalog.Column{Name: col, DataType: stringOf(dataTypes[col])})
		}
		p.Tables = append(p.Tables, t)
	}
	return p
}

// stringOf is the value of a string attribute, "" when null, unknown or not a string.
func stringOf(v attr.Value) string {
	s, _ := v.(types.String)
	return s.ValueString()
}

func upstreamValue(entries []upstreamEntry) types.List {
	elems := make([]attr.Value, 0, len(entries))
	for _, e := range entries {
		elems = append(elems, types.ObjectValueMust(upstreamAttrTypes, map[string]attr.Value{
			"data_product_id": types.StringValue(e.DataProductID), "output_port_id": types.StringValue(e.OutputPortID),
			"access_id": providerdata.StringOrNull(e.AccessID), "status": providerdata.StringOrNull(e.Status),
		}))
	}
	return types.ListValueMust(types.ObjectType{AttrTypes: upstreamAttrTypes}, elems)
}

// upstreamModels reads the upstream attribute's elements; nil when it is null or unknown.
func upstreamModels(ctx context.Context, l types.List, diags *diag.Diagnostics) []upstreamModel {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []upstreamModel
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}

// upstreamEntries reads fully known upstream entries (state and plan).
func upstreamEntries(ctx context.Context, l types.List, diags *diag.Diagnostics) []upstreamEntry {
	var out []upstreamEntry
	for _, m := range upstreamModels(ctx, l, diags) {
		out = append(out, upstreamEntry{
			upstreamKey: upstreamKey{m.DataProductID.ValueString(), m.OutputPortID.ValueString()},
			AccessID:    m.AccessID.ValueString(), Status: m.Status.ValueString(),
		})
	}
	return out
}

func stringsOf(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	sort.Strings(out)
	return out
}

func mapOf(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// toDataProduct builds the data product for the plan. existing (may be
// nil) is the stored product, and the write starts from it (in its format,
// see entropydata.DataProduct), so that what this resource does not manage
// is kept: input ports, links, maturity, other output ports, the settings of
// its own port such as autoApprove or a data contract, fields the view does
// not model, and custom keys it does not list. prior is the state before
// (nil on create): the custom keys it listed are the ones this resource
// manages.
func (m *resourceModel) toDataProduct(ctx context.Context, p *port, existing *entropydata.DataProduct, prior *resourceModel, diags *diag.Diagnostics) entropydata.DataProduct {
	var dp entropydata.DataProduct
	if existing != nil {
		dp = *existing
	}
	dp.ID = m.ID.ValueString()
	var others []entropydata.OutputPort
	var own *entropydata.OutputPort
	if existing != nil {
		for i := range existing.OutputPorts {
			if existing.OutputPorts[i].ID == outputPortID && m.Type.ValueString() == TypeSemanticModel {
				own = &existing.OutputPorts[i]
			} else {
				others = append(others, existing.OutputPorts[i])
			}
		}
	}
	dp.Info.Title = m.Title.ValueString()
	dp.Info.Owner = m.OwnerTeam.ValueString()
	dp.Info.Description = m.Description.ValueString()
	dp.Info.Status = m.Status.ValueString()
	dp.Info.Archetype = typeIDs[m.Type.ValueString()]
	dp.Tags = stringsOf(ctx, m.Tags, diags)

	custom := entropydata.TextMap{}
	if existing != nil {
		maps.Copy(custom, existing.Custom)
	}
	if prior != nil {
		for k := range mapOf(ctx, prior.Custom, diags) {
			delete(custom, k)
		}
	}
	delete(custom, customClassification)
	delete(custom, customConfidentiality)
	maps.Copy(custom, mapOf(ctx, m.Custom, diags))
	for key, v := range map[string]types.String{customClassification: m.Classification, customConfidentiality: m.Confidentiality} {
		if v.ValueString() != "" {
			custom[key] = v.ValueString()
		}
	}
	dp.Custom = nil
	if len(custom) > 0 {
		dp.Custom = custom
	}

	asset := m.AssetID.ValueString()
	dp.Assets = []entropydata.AssetRef{{AssetID: asset}}
	if m.Type.ValueString() == TypeSemanticModel && p != nil {
		op := entropydata.OutputPort{}
		if own != nil {
			op = *own
		}
		op.ID, op.Name, op.Type = p.ID, p.Name, outputPortType
		op.Assets = nil
		for _, id := range p.assetIDs(asset) {
			op.Assets = append(op.Assets, entropydata.AssetRef{AssetID: id})
		}
		dp.OutputPorts = append([]entropydata.OutputPort{op}, others...)
	} else {
		dp.OutputPorts = others
	}
	return dp
}

// fromAPI copies what the server stores into the model, so that edits made
// outside Terraform show as drift. Empty values read as null unless the
// prior value was the empty (non-null) collection. Of the custom map it
// reads the keys the prior state lists (custom keys set in the UI are not
// managed here), or all keys after an import (allCustom).
func (m *resourceModel) fromAPI(dp *entropydata.DataProduct, allCustom bool) {
	m.ID = types.StringValue(dp.ID)
	if t := typeOfArchetype(dp.Info.Archetype); t != "" {
		m.Type = types.StringValue(t)
	}
	m.Title = types.StringValue(dp.Info.Title)
	m.OwnerTeam = types.StringValue(dp.Info.Owner)
	m.Description = providerdata.StringOrNull(dp.Info.Description)
	m.Status = providerdata.StringOrNull(dp.Info.Status)
	m.AssetID = types.StringNull()
	if len(dp.Assets) > 0 {
		m.AssetID = types.StringValue(dp.Assets[0].AssetID)
	}

	if len(dp.Tags) == 0 && (m.Tags.IsNull() || m.Tags.IsUnknown()) {
		m.Tags = types.SetNull(types.StringType)
	} else {
		tags := slices.Clone(dp.Tags)
		sort.Strings(tags)
		elems := make([]attr.Value, 0, len(tags))
		for _, t := range slices.Compact(tags) {
			elems = append(elems, types.StringValue(t))
		}
		m.Tags = types.SetValueMust(types.StringType, elems)
	}

	m.Classification = providerdata.StringOrNull(dp.Custom[customClassification])
	m.Confidentiality = providerdata.StringOrNull(dp.Custom[customConfidentiality])
	priorNull := m.Custom.IsNull() || m.Custom.IsUnknown()
	custom := map[string]attr.Value{}
	for k, v := range dp.Custom {
		_, listed := m.Custom.Elements()[k]
		if k != customClassification && k != customConfidentiality && (allCustom || listed) {
			custom[k] = types.StringValue(v)
		}
	}
	if priorNull && (!allCustom || len(custom) == 0) {
		m.Custom = types.MapNull(types.StringType)
	} else {
		m.Custom = types.MapValueMust(types.StringType, custom)
	}
}

// ownPort returns the stored product's port with the fixed id.
func ownPort(dp *entropydata.DataProduct) *entropydata.OutputPort {
	for i := range dp.OutputPorts {
		if dp.OutputPorts[i].ID == outputPortID {
			return &dp.OutputPorts[i]
		}
	}
	return nil
}

// storedPort is the port the state should show, given the stored product
// and the port in the prior state: the prior port when the stored one still
// references exactly the model and the tables it lists, under the same
// name; otherwise what can be told from the stored port (tables it no
// longer references dropped), or null when the stored port cannot be
// represented (missing, not referencing the model, or referencing assets
// the prior state does not know). Either way the plan then shows the
// difference to the port built from the current assets.
func storedPort(dp *entropydata.DataProduct, modelAssetID string, prior *port) *port {
	sp := ownPort(dp)
	if sp == nil || prior == nil {
		return nil
	}
	refs := map[string]bool{}
	for _, a := range sp.Assets {
		refs[a.AssetID] = true
	}
	if !refs[modelAssetID] {
		return nil
	}
	known := map[string]bool{modelAssetID: true}
	out := &port{ID: sp.ID, Name: sp.Name}
	for _, t := range prior.Tables {
		known[t.AssetID] = true
		if refs[t.AssetID] {
			out.Tables = append(out.Tables, t)
		}
	}
	for id := range refs {
		if !known[id] {
			return nil
		}
	}
	return out
}

// equal reports whether every attribute of m equals o's. A new attribute
// must be added here (TestEqualCoversEveryAttribute fails until it is).
func (m *resourceModel) equal(o *resourceModel) bool {
	return m.ID.Equal(o.ID) && m.Type.Equal(o.Type) && m.AssetID.Equal(o.AssetID) && m.Title.Equal(o.Title) &&
		m.Description.Equal(o.Description) && m.OwnerTeam.Equal(o.OwnerTeam) && m.Status.Equal(o.Status) &&
		m.Classification.Equal(o.Classification) && m.Confidentiality.Equal(o.Confidentiality) &&
		m.Tags.Equal(o.Tags) && m.Custom.Equal(o.Custom) && m.Upstream.Equal(o.Upstream) &&
		m.OutputPort.Equal(o.OutputPort) && m.Quality.Equal(o.Quality) && m.Timeouts.Equal(o.Timeouts)
}
