package integration

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/filterpreview"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
	"github.com/entropy-data/terraform-provider-entropydata/internal/validate"
)

func resourceSchema(_ context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A scheduled import of Power BI workspaces, semantic models and reports into the " +
			"Entropy Data catalog, authenticated by a Microsoft Entra ID service principal.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Same as `external_id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"external_id": schema.StringAttribute{
				MarkdownDescription: "The integration's key in the Entropy Data API, unique in the organization. " +
					"Changing it replaces the integration.",
				Required:      true,
				Validators:    []validator.String{validate.ExternalID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Display name, unique in the organization.",
				Required:            true,
				Validators:          []validator.String{validate.Name()},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "What this import is for. `\"\"` is kept as given (the server stores no description).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtMost(4000)},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the schedule is active. A disabled integration can still be run manually " +
					"(and by `run_on_apply`). Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"owner_team": schema.StringAttribute{
				MarkdownDescription: "Id of the Entropy Data team that owns the ingested assets. Omit it for an " +
					"organization-wide integration.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"credentials": credentialsSchema(),
			"filters":     filterpreview.ResourceFiltersAttribute(),
			"schedule":    scheduleSchema(),
			"run_on_apply": boolSetting("Trigger an ingestion run when the integration is created, and when a change alters what or "+
				"how Power BI is imported: `credentials` (the service principal or a new secret version), `filters` or `owner_team`. "+
				"Other changes (name, description, schedule, enabled) and the provider-side settings (`timeouts`, `wait_for_run`, "+
				"`validate_credentials`, `preview`, `delete_assets_on_destroy`, `allow_dropping_governed_assets`, `run_on_apply` "+
				"itself) never start a run. A run that did not succeed is started again by the next apply, until a run succeeds.", false),
			"wait_for_run":         boolSetting("With `run_on_apply`, wait for the run to finish, so that data sources and data products later in the same apply see the ingested assets. A run that does not succeed fails an update; while creating, it is a warning, so that the new integration is not tainted and replaced (the next plan shows the run again).", true),
			"validate_credentials": boolSetting("Before saving credentials, get a token for the service principal from Microsoft Entra ID and list the Power BI workspaces it can see. Turn it off when the machine running Terraform cannot reach Microsoft.", true),
			"delete_assets_on_destroy": boolSetting("When the integration is destroyed, also delete the assets it imported. By default they stay in the catalog. "+
				"While a data product uses one of them the destroy fails and names the data products, unless `allow_dropping_governed_assets` is set.", false),
			"preview": schema.BoolAttribute{
				MarkdownDescription: "Show in the plan what the filters select (`filter_preview`), read from Power BI as the " +
					"service principal, and warn about patterns that select nothing. Needs the credentials to be known at plan " +
					"time and Terraform to reach Microsoft. Defaults to the value of `validate_credentials`.",
				Optional: true,
				Computed: true,
			},
			"filter_preview": schema.SingleNestedAttribute{
				MarkdownDescription: fmt.Sprintf("What the filters select, read from Power BI when the plan is made (with `preview`). "+
					"It is read again only when the filters or the credentials change, so Power BI content changing never "+
					"makes a plan by itself; lists show at most %d names. Null when `preview` is off; unknown in the plan "+
					"when it cannot be read then (it is read at apply instead).", previewLimit),
				Computed:   true,
				Attributes: filterpreview.ResourcePreviewAttributes(),
			},
			"allow_dropping_governed_assets": boolSetting("Allow a filter change that stops importing a semantic model or "+
				"report that backs an Entropy Data data product, and a destroy with `delete_assets_on_destroy` that deletes assets "+
				"data products use. When false, such a plan or destroy fails and names the data products; it also fails when "+
				"the provider cannot find out. For a destroy, set it and apply first.", false),
			"latest_run": latestRunSchema(),
			"timeouts":   timeoutsAttribute(),
		},
	}
}

// timeoutsAttribute bounds the operations that can wait: a run_on_apply run,
// and deleting, which may delete many imported assets.
func timeoutsAttribute() schema.Attribute {
	return providerdata.TimeoutsAttribute(
		"How long Terraform waits for the integration's operations, as durations such as `30m` or `1h`. "+
			"Provider-side: changing them changes nothing in Entropy Data and starts no run.",
		"How long create may take, including waiting for a `run_on_apply` run. Defaults to 20m. A run still going then is not an error: the integration stays, and the next plan shows the run again.",
		"How long update may take, including waiting for a `run_on_apply` run. Defaults to 20m.",
		"How long destroy may take, including the check for data products using the assets and, with `delete_assets_on_destroy`, deleting them. Defaults to 20m.")
}

func boolSetting(description string, def bool) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: fmt.Sprintf("%s Defaults to `%t`.", description, def),
		Optional:            true,
		Computed:            true,
		Default:             booldefault.StaticBool(def),
	}
}

func credentialsSchema() schema.SingleNestedAttribute {
	secretPaths := []path.Expression{
		path.MatchRelative().AtParent().AtName("client_secret_wo"),
		path.MatchRelative().AtParent().AtName("client_secret"),
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The Microsoft Entra ID service principal Entropy Data uses to read Power BI. " +
			"Give the secret either as `client_secret_wo` with `client_secret_wo_version` (Terraform 1.11 and later; " +
			"never stored in state) or as `client_secret` (older Terraform; stored in state, marked sensitive). " +
			"Required to create an integration. Omit it to leave the credential stored in Entropy Data as it is, " +
			"for example for an integration made in the UI and imported, whose secret Terraform does not know.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Directory (tenant) id of the Microsoft Entra ID tenant.",
				Required:            true,
				Validators:          []validator.String{validate.GUID("tenant_id")},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Application (client) id of the service principal's app registration.",
				Required:            true,
				Validators:          []validator.String{validate.GUID("client_id")},
			},
			"client_secret_wo": schema.StringAttribute{
				MarkdownDescription: "Client secret value (not the secret's id). Write-only: sent to Entropy Data, never " +
					"stored in plan or state. Bump `client_secret_wo_version` to send a rotated secret.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				Validators: []validator.String{
					stringvalidator.ExactlyOneOf(secretPaths...),
					stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("client_secret_wo_version")),
					stringvalidator.LengthAtLeast(1),
				},
			},
			"client_secret_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Version of `client_secret_wo`. Any change sends the current `client_secret_wo` to Entropy Data.",
				Optional:            true,
				Validators: []validator.Int64{
					int64validator.AtLeast(1),
					int64validator.AlsoRequires(path.MatchRelative().AtParent().AtName("client_secret_wo")),
				},
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Client secret value, for Terraform older than 1.11. Stored in state (marked " +
					"sensitive): prefer `client_secret_wo`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

var scheduleAttrTypes = providerdata.AttrTypes(scheduleSchema().Attributes)

func scheduleSchema() schema.SingleNestedAttribute {
	presets := schedule.Presets()
	return schema.SingleNestedAttribute{
		MarkdownDescription: "When the import runs, always in UTC: a `preset` or a 5-field `cron`. Entropy Data runs " +
			"an integration at most twice a day.",
		Required: true,
		Attributes: map[string]schema.Attribute{
			"preset": schema.StringAttribute{
				MarkdownDescription: "One of `" + strings.Join(presets, "`, `") + "`. `manual` means runs only on demand.",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.OneOf(presets...),
					stringvalidator.ExactlyOneOf(path.MatchRelative().AtParent().AtName("cron")),
				},
			},
			"cron": schema.StringAttribute{
				MarkdownDescription: "A 5-field cron expression (minute hour day-of-month month day-of-week) in UTC, " +
					"e.g. `0 6 * * 1-5`. At most two runs a day.",
				Optional:   true,
				Validators: []validator.String{validate.Cron()},
			},
			"quartz_expression": schema.StringAttribute{
				MarkdownDescription: "The schedule as Entropy Data stores it (a Quartz cron with seconds); null for manual.",
				Computed:            true,
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "The schedule in words.",
				Computed:            true,
			},
			"next_runs": schema.ListAttribute{
				MarkdownDescription: "The next three run times (RFC 3339, UTC) counted from the hour the schedule was applied " +
					"(or imported). They are known after apply for a new or changed schedule, and then kept while the schedule stays " +
					"the same: time passing never changes the state or makes a plan, and a saved plan applies whenever it is " +
					"approved. In the plan, `description` says what the schedule means.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

var latestRunAttrTypes = providerdata.AttrTypes(latestRunSchema().Attributes)

func latestRunSchema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "The most recent ingestion run, as of the last refresh; null before the first run.",
		Computed:            true,
		PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes:          runResourceAttributes(),
	}
}

// runFields describe one ingestion run; the resource's latest_run and the
// runs data source share them.
var runFields = []struct {
	name, description string
	number            bool
}{
	{"id", "Run id.", false},
	{"status", "`RUNNING`, `SUCCESS`, `FAILED` or `CANCELLED`.", false},
	{"message", "What the run reported, e.g. why it failed.", false},
	{"started_at", "Start time (RFC 3339).", false},
	{"completed_at", "End time (RFC 3339); null while running.", false},
	{"assets_processed", "Assets looked at.", true},
	{"assets_created", "Assets created.", true},
	{"assets_updated", "Assets updated.", true},
	{"assets_deleted", "Assets deleted because they are no longer selected.", true},
}

// runDataSourceAttributes are runFields as data source attributes.
func runDataSourceAttributes() map[string]dschema.Attribute {
	attrs := map[string]dschema.Attribute{}
	for _, f := range runFields {
		if f.number {
			attrs[f.name] = dschema.Int64Attribute{MarkdownDescription: f.description, Computed: true}
		} else {
			attrs[f.name] = dschema.StringAttribute{MarkdownDescription: f.description, Computed: true}
		}
	}
	return attrs
}

func runResourceAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for _, f := range runFields {
		if f.number {
			attrs[f.name] = schema.Int64Attribute{MarkdownDescription: f.description, Computed: true}
		} else {
			attrs[f.name] = schema.StringAttribute{MarkdownDescription: f.description, Computed: true}
		}
	}
	return attrs
}
