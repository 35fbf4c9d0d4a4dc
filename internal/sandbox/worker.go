package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/entropyapi"
)

const assetSource = "powerbi"

// worker performs ingestion runs the way Entropy Data does: it signs in to
// Microsoft Entra ID with the integration's service principal (through the
// real MSAL library), reads Power BI over HTTPS, and upserts assets.
type worker struct {
	api           *entropyapi.Server
	authorityHost string
	powerBI       string
	httpClient    *http.Client
}

func (w *worker) ingest(ctx context.Context, run entropyapi.RunContext) entropyapi.IngestResult {
	integ := run.Integration
	cred := integ.Credential
	if cred == nil {
		return entropyapi.IngestResult{Err: errors.New("the integration has no credential")}
	}
	tokens, err := powerbi.NewTokenSource(powerbi.TokenSourceConfig{
		AuthorityHost: w.authorityHost,
		Credentials: powerbi.Credentials{
			TenantID: cred.Details["tenantId"], ClientID: cred.Details["clientId"], ClientSecret: cred.Details["clientSecret"],
		},
		HTTPClient: w.httpClient,
	})
	if err != nil {
		return entropyapi.IngestResult{Err: fmt.Errorf("invalid service principal credential: %w", err)}
	}
	client, err := powerbi.NewClient(powerbi.ClientConfig{
		Endpoint: w.powerBI, Tokens: tokens, HTTPClient: w.httpClient, ScanPollInterval: scanPollInterval,
	})
	if err != nil {
		return entropyapi.IngestResult{Err: err}
	}

	sel, err := powerbi.Discover(ctx, client, filtersOf(integ.Configuration.Filters), powerbi.DiscoverOptions{WithSchema: true})
	if err != nil {
		return entropyapi.IngestResult{Err: fmt.Errorf("reading Power BI failed: %w", err)}
	}
	if len(sel.Workspaces) == 0 && len(sel.UnselectedWorkspaces) == 0 {
		return entropyapi.IngestResult{Err: errors.New("the service principal has no access to any Power BI workspace: " +
			"add it to the workspaces to import, with at least the Viewer role")}
	}
	if sel.SchemaError != nil {
		return entropyapi.IngestResult{Err: fmt.Errorf("reading the tables and columns of the semantic models failed: %w", sel.SchemaError)}
	}

	assets := assetsFor(integ, sel)
	var res entropyapi.IngestResult
	keep := map[string]bool{}
	for _, a := range assets {
		if ctx.Err() != nil {
			return res
		}
		created, changed, err := w.api.UpsertAsset(a)
		if err != nil {
			res.Err = fmt.Errorf("saving asset %s failed: %w", a.ID, err)
			return res
		}
		keep[a.ID] = true
		res.Processed++
		switch {
		case created:
			res.Created++
		case changed:
			res.Updated++
		}
	}
	// Assets this integration imported before but no longer selects go away.
	for _, a := range w.api.Assets() {
		if keep[a.ID] || a.Custom[entropydata.CustomIntegration] != integ.ExternalID {
			continue
		}
		if err := w.api.DeleteAsset(a.ID); err == nil {
			res.Deleted++
		}
	}
	res.Message = fmt.Sprintf("Imported %d workspaces, %d semantic models and %d reports.",
		len(sel.Workspaces), sel.SemanticModelCount(), sel.ReportCount())
	return res
}

func filtersOf(f *entropyapi.IntegrationFilters) powerbi.Filters {
	conv := func(p *entropyapi.PatternFilter) powerbi.Filter {
		if p == nil {
			return powerbi.Filter{}
		}
		return powerbi.Filter{Include: p.Include, Exclude: p.Exclude}
	}
	if f == nil {
		return powerbi.Filters{}
	}
	return powerbi.Filters{Workspaces: conv(f.Workspaces), SemanticModels: conv(f.SemanticModels), Reports: conv(f.Reports)}
}

// assetsFor turns a selection into assets, parents before children, so
// every relationship points at an asset that already exists.
func assetsFor(integ entropyapi.IntegrationRecord, sel *powerbi.Selection) []entropyapi.Asset {
	owner := integ.Configuration.AssetOwnerTeamExternalID
	modelNames := map[string]string{}
	for _, ws := range sel.Workspaces {
		for _, m := range ws.SemanticModels {
			modelNames[strings.ToLower(m.ID)] = m.Name
		}
	}
	custom := func(ws powerbi.SelectedWorkspace, extra map[string]any) map[string]any {
		c := map[string]any{
			entropydata.CustomIntegration:   integ.ExternalID,
			entropydata.CustomWorkspaceID:   ws.ID,
			entropydata.CustomWorkspaceName: ws.Name,
		}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	var out []entropyapi.Asset
	for _, ws := range sel.Workspaces {
		wsURL := "https://app.powerbi.com/groups/" + ws.ID
		out = append(out, entropyapi.Asset{
			ID:     entropydata.PowerBIAssetID(ws.ID),
			Info:   entropyapi.AssetInfo{Owner: owner, Source: assetSource, SourceID: ws.ID, SourceURL: wsURL, Type: entropydata.AssetTypePowerBIWorkspace, Name: ws.Name, Status: "active"},
			Custom: custom(ws, nil),
			Links:  map[string]string{entropydata.LinkPowerBI: wsURL},
		})
		for _, m := range ws.SemanticModels {
			url := m.WebURL
			if url == "" {
				url = wsURL + "/datasets/" + m.ID
			}
			out = append(out, entropyapi.Asset{
				ID: entropydata.PowerBIAssetID(m.ID),
				Info: entropyapi.AssetInfo{Owner: owner, Source: assetSource, SourceID: m.ID, SourceURL: url,
					Type: entropydata.AssetTypePowerBISemanticModel, Name: m.Name, Status: "active", Description: m.Description},
				Custom:        custom(ws, map[string]any{"configuredBy": m.ConfiguredBy, "targetStorageMode": m.TargetStorageMode}),
				Relationships: []entropyapi.AssetRelationship{{RelationshipType: entropydata.RelationshipParent, AssetID: entropydata.PowerBIAssetID(ws.ID)}},
				Links:         map[string]string{entropydata.LinkPowerBI: url},
			})
			tables := append([]powerbi.ScannedTable(nil), m.Tables...)
			sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
			out[len(out)-1].Columns = modelSchema(tables)
			for _, t := range tables {
				cols := columnsOf(t)
				out = append(out, entropyapi.Asset{
					ID: entropydata.PowerBITableAssetID(m.ID, t.Name),
					Info: entropyapi.AssetInfo{Owner: owner, Source: assetSource, SourceID: m.ID + "/" + t.Name,
						Type: entropydata.AssetTypePowerBITable, Name: t.Name, Status: "active", Description: t.Description},
					Custom:        custom(ws, map[string]any{entropydata.CustomSemanticModelID: m.ID, entropydata.CustomHidden: t.IsHidden}),
					Columns:       cols,
					Relationships: []entropyapi.AssetRelationship{{RelationshipType: entropydata.RelationshipParent, AssetID: entropydata.PowerBIAssetID(m.ID)}},
				})
			}
		}
		for _, r := range ws.Reports {
			url := r.WebURL
			if url == "" {
				url = wsURL + "/reports/" + r.ID
			}
			rels := []entropyapi.AssetRelationship{{RelationshipType: entropydata.RelationshipParent, AssetID: entropydata.PowerBIAssetID(ws.ID)}}
			extra := map[string]any{entropydata.CustomReportType: r.ReportType}
			if r.DatasetID != "" {
				rels = append(rels, entropyapi.AssetRelationship{RelationshipType: entropydata.RelationshipUses, AssetID: entropydata.PowerBIAssetID(r.DatasetID)})
				extra[entropydata.CustomSemanticModelID] = r.DatasetID
				if r.DatasetWorkspaceID != "" {
					extra[entropydata.CustomSemanticModelWS] = r.DatasetWorkspaceID
				}
				if name, ok := modelNames[strings.ToLower(r.DatasetID)]; ok {
					extra[entropydata.CustomSemanticModelName] = name
				}
			}
			out = append(out, entropyapi.Asset{
				ID: entropydata.PowerBIAssetID(r.ID),
				Info: entropyapi.AssetInfo{Owner: owner, Source: assetSource, SourceID: r.ID, SourceURL: url,
					Type: entropydata.AssetTypePowerBIReport, Name: r.Name, Status: "active", Description: r.Description},
				Custom:        custom(ws, extra),
				Relationships: rels,
				Links:         map[string]string{entropydata.LinkPowerBI: url},
			})
		}
	}
	return out
}

func columnsOf(t powerbi.ScannedTable) []entropyapi.AssetColumn {
	cols := make([]entropyapi.AssetColumn, 0, len(t.Columns))
	for _, c := range t.Columns {
		cols = append(cols, entropyapi.AssetColumn{
			Name: c.Name, Type: c.DataType, Description: c.Description,
			Custom: map[string]any{entropydata.CustomHidden: c.IsHidden},
		})
	}
	return cols
}

// modelSchema is a semantic model's schema as its asset's columns: one
// column of type "table" per table, with the table's columns nested.
func modelSchema(tables []powerbi.ScannedTable) []entropyapi.AssetColumn {
	out := make([]entropyapi.AssetColumn, 0, len(tables))
	for _, t := range tables {
		out = append(out, entropyapi.AssetColumn{
			Name: t.Name, Type: entropydata.ColumnTypeTable, Description: t.Description,
			Custom: map[string]any{entropydata.CustomHidden: t.IsHidden}, Properties: columnsOf(t),
		})
	}
	return out
}
