package sandbox

import (
	"context"
	"fmt"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// Ingest creates (or updates) an integration for the demo service principal
// directly in the sandbox, runs it and waits for the run to end. Tests and
// benchmarks use it to get imported assets without going through Terraform.
func (sb *Sandbox) Ingest(ctx context.Context, externalID, ownerTeam string, f powerbi.Filters) (entropyapi.IngestionRun, error) {
	pf := func(p powerbi.Filter) *entropyapi.PatternFilter {
		return &entropyapi.PatternFilter{Include: p.Include, Exclude: p.Exclude}
	}
	_, err := sb.API.PutIntegration(externalID, entropyapi.IntegrationConfiguration{
		Source:                   "powerbi",
		Name:                     "Sandbox ingest " + externalID,
		AssetOwnerTeamExternalID: ownerTeam,
		Filters:                  &entropyapi.IntegrationFilters{Workspaces: pf(f.Workspaces), SemanticModels: pf(f.SemanticModels), Reports: pf(f.Reports)},
	}, &entropyapi.Credential{
		Type: entropyapi.CredentialTypeServicePrincipal,
		Details: map[string]string{
			"tenantId": tenant.DemoTenantID, "clientId": tenant.DemoClientID, "clientSecret": tenant.DemoClientSecret,
		},
	}, nil)
	if err != nil {
		return entropyapi.IngestionRun{}, fmt.Errorf("create integration %s: %w", externalID, err)
	}
	runID, err := sb.API.TriggerRun(externalID)
	if err != nil {
		return entropyapi.IngestionRun{}, fmt.Errorf("trigger run of %s: %w", externalID, err)
	}
	for {
		for _, run := range sb.API.Runs(externalID) {
			if run.IngestionRunID == runID && run.Status != entropyapi.RunRunning {
				if run.Status != entropyapi.RunSuccess {
					return run, fmt.Errorf("run of %s ended %s: %s", externalID, run.Status, run.Message)
				}
				return run, nil
			}
		}
		select {
		case <-ctx.Done():
			return entropyapi.IngestionRun{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
