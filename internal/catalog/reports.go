package catalog

import (
	"context"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

var reports = kind[Report]{
	assetType: entropydata.AssetTypePowerBIReport,
	convert:   reportOf,
	complete:  (*Reader).resolveModelNames,
	summary:   (*Report).Summary,
}

// Reports returns the imported reports that match q, sorted by Compare.
func (r *Reader) Reports(ctx context.Context, q Query) ([]Report, error) {
	return find(ctx, r, reports, q)
}

// Report returns the report with this asset id. It fails with
// ErrAssetNotFound when there is no such asset and with a *WrongKindError
// when the asset is not a report.
func (r *Reader) Report(ctx context.Context, assetID string) (*Report, error) {
	return getOne(ctx, r, reports, assetID)
}

func reportOf(a *entropydata.Asset) Report {
	var rep Report
	rep.common().fill(a)
	rep.ReportType = customString(a.Custom, entropydata.CustomReportType)
	for _, rel := range a.Relationships {
		if rel.RelationshipType == entropydata.RelationshipUses {
			rep.SemanticModelAssetID = rel.AssetID
			break
		}
	}
	if id := customString(a.Custom, entropydata.CustomSemanticModelID); rep.SemanticModelAssetID == "" && id != "" {
		rep.SemanticModelAssetID = entropydata.PowerBIAssetID(id)
	}
	if rep.SemanticModelAssetID != "" {
		rep.SemanticModelName = customString(a.Custom, entropydata.CustomSemanticModelName)
	}
	return rep
}

// resolveModelNames fills in the model names the report assets do not carry
// (the integration records a name only for models it imported itself, so a
// model in another workspace may have none): from the names the asset list
// showed, if it was walked, else by fetching each model once. A model that
// does not exist leaves the name empty.
func (r *Reader) resolveModelNames(ctx context.Context, reports []Report, l *listing) error {
	var missing []string
	seen := map[string]bool{}
	for i := range reports {
		rep := &reports[i]
		if rep.SemanticModelName != "" || rep.SemanticModelAssetID == "" {
			continue
		}
		if name, ok := l.modelName(rep.SemanticModelAssetID); ok {
			rep.SemanticModelName = name
		} else if !seen[rep.SemanticModelAssetID] {
			seen[rep.SemanticModelAssetID] = true
			missing = append(missing, rep.SemanticModelAssetID)
		}
	}
	models, err := r.Assets(ctx, missing)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, m := range models {
		if m != nil && m.Info.Type == entropydata.AssetTypePowerBISemanticModel {
			names[m.ID] = m.Info.Name
		}
	}
	for i := range reports {
		if rep := &reports[i]; rep.SemanticModelName == "" {
			rep.SemanticModelName = names[rep.SemanticModelAssetID]
		}
	}
	return nil
}
