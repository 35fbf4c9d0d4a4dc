package dataproduct

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"

	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// Statuses of a data product (DPS info.status).
var statuses = []string{"proposed", "in development", "active", "deprecated", "retired"}

const defaultStatus = "active"

func resourceSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A governed Entropy Data data product built on an imported Power BI semantic model or " +
			"report, with its output port, its lineage to upstream data products (as approved access agreements) " +
			"and its quality.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The data product's id in Entropy Data, unique in the organization. Changing it " +
					"replaces the data product.",
				Required:      true,
				Validators:    []validator.String{validate.ExternalID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "`" + TypeSemanticModel + "` (a data product with an output port, Entropy Data type `" +
					typeIDs[TypeSemanticModel] + "`) or `" + TypeReport + "` (a data consumer without output ports, type `" +
					typeIDs[TypeReport] + "`). The organization must offer the type (Settings > Data product types). " +
					"Changing it replaces the data product.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(TypeSemanticModel, TypeReport)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"asset_id": schema.StringAttribute{
				MarkdownDescription: "Asset id of the imported Power BI semantic model (for `" + TypeSemanticModel +
					"`) or report (for `" + TypeReport + "`), e.g. from the `entropydata_powerbi_semantic_models` or " +
					"`entropydata_powerbi_reports` data source. Checked at plan time.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 512)},
			},
			"title": schema.StringAttribute{
				MarkdownDescription: "Display name of the data product.",
				Required:            true,
				Validators:          []validator.String{validate.Name()},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "What the data product offers and what it is for.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 10000)},
			},
			"owner_team": schema.StringAttribute{
				MarkdownDescription: "Id of the Entropy Data team that owns the data product. Checked at plan time.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Lifecycle status: `" + strings.Join(statuses, "`, `") + "`. Defaults to `" + defaultStatus + "`.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(defaultStatus),
				Validators:          []validator.String{stringvalidator.OneOf(statuses...)},
			},
			"classification": schema.StringAttribute{
				MarkdownDescription: "Data classification, a value of your organization's classification scheme (e.g. " +
					"`personal-data`). Stored in the data product's custom field `" + customClassification + "`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"confidentiality": schema.StringAttribute{
				MarkdownDescription: "Confidentiality level, e.g. `public`, `internal`, `confidential` or `restricted`. " +
					"Stored in the data product's custom field `" + customConfidentiality + "`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Tags of the data product.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, 256)),
				},
			},
			"custom": schema.MapAttribute{
				MarkdownDescription: fmt.Sprintf("Custom fields of the data product (DPS `custom`, ODPS `customProperties`). "+
					"Only the keys listed here are managed: custom fields set in Entropy Data under other keys are left as they "+
					"are (an import takes all of them into the state). The keys `%s` and `%s` are reserved for the attributes "+
					"of the same name.", customClassification, customConfidentiality),
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.NoneOf(customClassification, customConfidentiality)),
					mapvalidator.KeysAre(stringvalidator.LengthBetween(1, 256)),
				},
			},
			"upstream":    upstreamSchema(),
			"output_port": outputPortSchema(),
			"quality":     qualitySchema(),
			"timeouts":    timeoutsAttribute(),
		},
	}
}

func upstreamSchema() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "Lineage: the output ports this data product consumes. Each entry becomes an access " +
			"agreement from this data product to that output port, approved when the API key may approve it " +
			"(otherwise it stays requested, with a warning naming the team that must approve it). Removing an entry " +
			"cancels its agreement. When omitted, a `" + TypeReport + "` data product is linked automatically to the " +
			"data products of type `" + TypeSemanticModel + "` built on its report's semantic model (a `" +
			TypeSemanticModel + "` data product gets no automatic links); setting it, even to `[]`, overrides that.",
		Optional: true,
		Computed: true,
		Validators: []validator.List{
			listvalidator.SizeAtMost(100),
			listvalidator.UniqueValues(),
		},
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"data_product_id": schema.StringAttribute{
					MarkdownDescription: "Id of the upstream data product.",
					Required:            true,
					Validators:          []validator.String{validate.ExternalID()},
				},
				"output_port_id": schema.StringAttribute{
					MarkdownDescription: "Id of the upstream data product's output port.",
					Required:            true,
					Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
				},
				"access_id": schema.StringAttribute{
					MarkdownDescription: "Id of the access agreement that records this link.",
					Computed:            true,
				},
				"status": schema.StringAttribute{
					MarkdownDescription: "The agreement's approval status: `requested`, `approved` or `rejected`.",
					Computed:            true,
				},
			},
		},
	}
}

// The computed output_port and quality are plain object attributes rather
// than nested attributes: the framework then handles each as one value
// instead of walking and re-setting every part of it on every plan, which
// matters with hundreds of data products. Their parts are described here.

func outputPortSchema() schema.ObjectAttribute {
	return schema.ObjectAttribute{
		MarkdownDescription: "The output port of a `" + TypeSemanticModel + "` data product (null for a report), as " +
			"built from the semantic model's imported tables and columns. When an ingestion changes the model (a table " +
			"or column added or dropped, a data type changed), the next plan shows the new port as an update.\n\n" +
			"  - `id`: always `" + outputPortID + "`; use it in other data products' `upstream`.\n" +
			"  - `name`: the semantic model's name in Power BI.\n" +
			"  - `tables`: the model's tables by name, each with `id` (the table's asset id, " +
			"`powerbi-<model GUID>-<table name slug>`), `description` (null when none), `hidden` (whether it is hidden " +
			"in Power BI) and `columns`: the column names mapped to their Power BI data types (`String`, `Int64`, " +
			"`Double`, `Decimal`, `Boolean`, `DateTime` or `Binary`). Column descriptions, visibility and order are in " +
			"the `entropydata_powerbi_semantic_model` data source.",
		AttributeTypes: outputPortAttrTypes,
		Computed:       true,
	}
}

func qualitySchema() schema.ObjectAttribute {
	return schema.ObjectAttribute{
		MarkdownDescription: "Quality as Entropy Data reports it, refreshed on every refresh; it never causes a change " +
			"by itself.\n\n" +
			"  - `score`: quality score from 0 to 100; null when there is no quality data yet.\n" +
			"  - `test_results`: the latest data contract test result of each output port that has one, with " +
			"`output_port_id` (the tested port), `test_result_id` (its id in Entropy Data), `result` (`passed`, " +
			"`failed`, `warning`, `error` or `unknown`), `tested_at` (when the run ended, RFC 3339), `checks_passed`, " +
			"`checks_failed` (failed or ended in an error) and `checks_total`.",
		AttributeTypes: qualityAttrTypes,
		Computed:       true,
		PlanModifiers:  []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
	}
}

// Attribute types of the nested values, for building them in code. Those of
// output_port and quality are the schema itself (plain object attributes).
var (
	tableAttrTypes = map[string]attr.Type{
		"id": types.StringType, "description": types.StringType, "hidden": types.BoolType,
		"columns": types.MapType{ElemType: types.StringType},
	}
	outputPortAttrTypes = map[string]attr.Type{
		"id": types.StringType, "name": types.StringType,
		"tables": types.MapType{ElemType: types.ObjectType{AttrTypes: tableAttrTypes}},
	}
	upstreamAttrTypes   = providerdata.AttrTypes(upstreamSchema().NestedObject.Attributes)
	testResultAttrTypes = map[string]attr.Type{
		"output_port_id": types.StringType, "test_result_id": types.StringType, "result": types.StringType, "tested_at": types.StringType,
		"checks_passed": types.Int64Type, "checks_failed": types.Int64Type, "checks_total": types.Int64Type,
	}
	qualityAttrTypes = map[string]attr.Type{
		"score":        types.Float64Type,
		"test_results": types.ListType{ElemType: types.ObjectType{AttrTypes: testResultAttrTypes}},
	}
)
