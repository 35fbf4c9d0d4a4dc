package sandbox

import (
	"encoding/json"
	"fmt"

	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Teams of the demo organization.
var demoTeams = []entropyapi.Team{
	{ID: "data-platform", Name: "Data Platform", Type: "Platform Team", Description: "Runs Snowflake and Databricks."},
	{ID: "finance", Name: "Finance", Type: "Team", Description: "Financial reporting and controlling."},
	{ID: "sales", Name: "Sales", Type: "Team"},
	{ID: "marketing", Name: "Marketing", Type: "Team"},
	{ID: "people", Name: "People", Type: "Team"},
}

// Source data products that Power BI data products take their lineage from.
const (
	SourceOrdersProduct    = "snowflake-orders"
	SourceOrdersPort       = "orders"
	SourceCustomersProduct = "databricks-customers"
	SourceCustomersPort    = "customers"
)

type seedProduct struct {
	id, title, owner, portID, portName, portType string
	server                                       map[string]string
}

var demoProducts = []seedProduct{
	{SourceOrdersProduct, "Orders", "data-platform", SourceOrdersPort, "Orders", "snowflake",
		map[string]string{"account": "contoso-eu", "database": "SALES", "schema": "ORDERS"}},
	{SourceCustomersProduct, "Customers", "data-platform", SourceCustomersPort, "Customers", "databricks",
		map[string]string{"host": "adb-1234567890.12.azuredatabricks.net", "catalog": "crm", "schema": "customers"}},
}

// UIIntegration is the integration a read-and-run-only sandbox starts
// with, as if made in the Entropy Data UI: the demo service principal, a
// flat filter list, the "fabric" source, no schedule.
const UIIntegration = "finance-powerbi-ui"

const uiIntegrationConfiguration = `{"source": "fabric", "name": "Finance Power BI (made in the UI)",
  "assetOwnerTeamExternalId": "finance", "filters": {"workspaces": ["Finance*"]}}`

// seed loads the demo organization: its teams and source data products, and
// with a read-and-run-only integrations API an integration made "in the UI".
func seed(api *entropyapi.Server, readOnly bool) error {
	if err := seedOrganization(api); err != nil {
		return err
	}
	if !readOnly {
		return nil
	}
	var cfg entropyapi.IntegrationConfiguration
	if err := json.Unmarshal([]byte(uiIntegrationConfiguration), &cfg); err != nil {
		return err
	}
	_, err := api.PutIntegration(UIIntegration, cfg, &entropyapi.Credential{
		Type:    entropyapi.CredentialTypeServicePrincipal,
		Details: map[string]string{"tenantId": tenant.DemoTenantID, "clientId": tenant.DemoClientID, "clientSecret": tenant.DemoClientSecret},
	}, nil)
	return err
}

func seedOrganization(api *entropyapi.Server) error {
	for _, t := range demoTeams {
		if err := api.PutTeam(t); err != nil {
			return fmt.Errorf("seed team %s: %w", t.ID, err)
		}
	}
	for _, p := range demoProducts {
		body, err := json.Marshal(map[string]any{
			"dataProductSpecification": "0.0.1",
			"id":                       p.id,
			"info": map[string]any{
				"title": p.title, "owner": p.owner, "status": "active", "archetype": "source-aligned",
				"description": p.title + " as the source system records them.",
			},
			"outputPorts": []any{map[string]any{
				"id": p.portID, "name": p.portName, "type": p.portType, "status": "active", "server": p.server,
			}},
		})
		if err != nil {
			return err
		}
		if err := api.PutDataProductJSON(p.id, body); err != nil {
			return fmt.Errorf("seed data product %s: %w", p.id, err)
		}
	}
	return nil
}
