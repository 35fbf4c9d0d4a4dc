package tenant

import (
	"bytes"
	_ "embed"
	"fmt"
)

// The demo tenant's fixed identities. Documentation, examples and CI modules use them, so
// they never change. The secrets are sandbox-only values, not credentials for anything real.
const (
	DemoTenantID     = "44c1f453-7899-4a89-8432-5523301e1e30"
	DemoTenantDomain = "contoso.onmicrosoft.com"

	// The demo service principal: Member of Finance and Supply Chain, Viewer of Finance
	// Sandbox, Sales Analytics and Marketing, no role in HR Confidential.
	DemoClientID     = "78d9aba1-761e-43ea-b980-aa59e2812c54"
	DemoClientSecret = "sbx8Q~EntropyDataSandbox.DemoSecret-0001"

	// A principal that authenticates fine but has no workspace role anywhere.
	NoAccessClientID     = "fe97ed8a-b4e0-4b08-8ab6-b8bed00b98aa"
	NoAccessClientSecret = "sbx8Q~EntropyDataSandbox.NoAccess-000002"

	// A disabled app registration: its token requests fail with AADSTS7000112.
	DisabledClientID     = "22972fb2-61b9-4538-b63c-0b8f23352766"
	DisabledClientSecret = "sbx8Q~EntropyDataSandbox.Disabled-000003"
)

// Workspace IDs of the demo tenant.
const (
	DemoWorkspaceFinance        = "aef20cee-5b0d-48aa-a6e2-79e8e8ea4de4"
	DemoWorkspaceFinanceSandbox = "9eb6da0b-bdd1-4e53-8189-bb8ea3a4ca73"
	DemoWorkspaceSalesAnalytics = "2b420012-9036-4823-86d6-3d1992bf923c"
	DemoWorkspaceMarketing      = "53605cd6-f7ab-40ea-a276-8152180b4396"
	DemoWorkspaceHRConfidential = "461bf126-a53e-4891-823a-19d426d96fa8" // the demo principal has no role here
	DemoWorkspaceSupplyChain    = "5ac582ba-2952-405f-809f-fdcb173cd577"
)

// Semantic model (dataset) IDs of the demo tenant.
const (
	DemoDatasetRevenue             = "a41c6e03-d0a2-4efc-a537-66dcef7605a9" // Finance
	DemoDatasetRevenueOld          = "3fe2917f-a9db-48d4-a6d2-693645e19ddd" // Finance, "Revenue (old)"
	DemoDatasetFinanceKPIs         = "16cb6fbf-aa4a-4243-aac2-ada660e5623b" // Finance
	DemoDatasetRevenueExperiments  = "a34d1cc9-70e8-4224-a963-02f224b8aa9a" // Finance Sandbox
	DemoDatasetSalesPipeline       = "88debf06-81ce-4700-a713-b46f12ac7255" // Sales Analytics
	DemoDatasetCustomer360         = "830e79d6-f931-4b4d-a63e-bf6d8ff9baa4" // Sales Analytics
	DemoDatasetCampaignPerformance = "d2f2a0ed-6b58-4187-842c-c409a8fb3ed7" // Marketing
	DemoDatasetHeadcount           = "fb83f5fe-d542-4574-9b30-b46e2e58a47d" // HR Confidential
	DemoDatasetSalaries            = "f2045d37-3312-4808-b263-95ffddad67cb" // HR Confidential
	DemoDatasetInventory           = "c8a28d4f-8d96-467f-b19d-5eb6057d493f" // Supply Chain
)

// Report IDs of the demo tenant.
const (
	DemoReportRevenueOverview    = "49cce51d-b8b2-45ac-acaf-7afad0671c6d" // Finance -> Revenue
	DemoReportRevenueOverviewOld = "f0c65e8d-bb2a-487e-bc2c-13999bae379f" // Finance -> Revenue (old)
	DemoReportFinanceKPIs        = "16a3096f-81e5-4f19-8025-9eb0a535c7f1" // Finance -> Finance KPIs
	DemoReportMonthlyClosePack   = "b450e181-1020-4d31-a20a-ec87c2bd2828" // Finance, paginated, no model
	DemoReportRevenueWhatIf      = "b3d6848a-7616-4ba7-a6b5-eacd15d8a6ca" // Finance Sandbox -> Revenue Experiments
	DemoReportPipelineDashboard  = "642806ea-0191-489b-8767-b63436defa1a" // Sales Analytics -> Sales Pipeline
	DemoReportCustomer360        = "fbae55dd-5628-4b9b-be30-b9ba77c26bc0" // Sales Analytics -> Customer 360
	DemoReportRevenueByRegion    = "e8f9aa10-ccec-43c5-bac2-4e141e080cd9" // Sales Analytics -> Revenue in Finance (cross-workspace)
	DemoReportCampaignPerf       = "d98b148d-77ab-4747-945c-84cf4fde7534" // Marketing -> Campaign Performance
	DemoReportCampaignROI        = "bd828b34-b235-40e5-a73f-3ce7bd6bdae4" // Marketing -> Campaign Performance
	DemoReportHeadcountOverview  = "53d4dfed-4047-4748-ba1b-513181bbd254" // HR Confidential -> Headcount
	DemoReportSalaryBands        = "7c6392ce-5f18-46fe-acfd-eec39e2debec" // HR Confidential -> Salaries
	DemoReportInventoryHealth    = "daadf79f-f712-412a-bdc6-0da1d10ec2be" // Supply Chain -> Inventory
)

// DefaultJSON is the demo tenant fixture, in the format Load reads. The standalone sandbox
// can write it out as a starting point for a custom fixture.
//
//go:embed default.json
var DefaultJSON []byte

// Default returns a fresh copy of the demo tenant: six workspaces (one the demo principal
// cannot see), ten semantic models, thirteen reports, and three apps (the demo principal,
// one without workspace roles, one disabled). Every call returns an independent Tenant.
func Default() *Tenant {
	t, err := Load(bytes.NewReader(DefaultJSON))
	if err != nil {
		panic(fmt.Sprintf("embedded default tenant is invalid: %v", err)) // caught by the package tests
	}
	return t
}
