package catalog

import (
	"cmp"
	"context"
	"slices"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

var semanticModels = kind[SemanticModel]{
	assetType: entropydata.AssetTypePowerBISemanticModel,
	tables:    true,
	convert: func(a *entropydata.Asset) SemanticModel {
		var m SemanticModel
		m.common().fill(a)
		m.Tables, m.tablesKnown = inlineTables(a)
		return m
	},
	complete:   (*Reader).addTables,
	summary:    (*SemanticModel).Summary,
	dropTables: func(m *SemanticModel) { m.Tables, m.tablesKnown = nil, false },
}

// SemanticModels returns the imported semantic models that match q, sorted
// by Compare; with q.Tables, with their tables and columns.
func (r *Reader) SemanticModels(ctx context.Context, q Query) ([]SemanticModel, error) {
	return find(ctx, r, semanticModels, q)
}

// SemanticModel returns the semantic model with this asset id, with its
// tables. It fails with ErrAssetNotFound when there is no such asset and
// with a *WrongKindError when the asset is not a semantic model.
func (r *Reader) SemanticModel(ctx context.Context, assetID string) (*SemanticModel, error) {
	return getOne(ctx, r, semanticModels, assetID)
}

// addTables fetches the tables of the models, all at once, and adds those
// that really are the model's children, sorted by name.
func (r *Reader) addTables(ctx context.Context, models []SemanticModel, l *listing) error {
	if !slices.ContainsFunc(models, func(m SemanticModel) bool { return !m.tablesKnown }) {
		return nil
	}
	if l == nil { // only the list knows a model's tables
		var err error
		if l, err = r.list(ctx, "", Query{}, true, nil); err != nil {
			return err
		}
	}
	var ids []string
	var owner []int // ids[k] belongs to models[owner[k]]
	for i := range models {
		if models[i].tablesKnown {
			continue
		}
		for _, id := range l.tables[models[i].AssetID] {
			ids = append(ids, id)
			owner = append(owner, i)
		}
	}
	full, err := r.Assets(ctx, ids)
	if err != nil {
		return err
	}
	for k, a := range full {
		m := &models[owner[k]]
		if a == nil || a.Info.Type != entropydata.AssetTypePowerBITable || !childOf(a, m.AssetID) {
			continue
		}
		m.Tables = append(m.Tables, tableOf(a))
	}
	for i := range models {
		slices.SortFunc(models[i].Tables, func(a, b Table) int {
			return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.AssetID, b.AssetID))
		})
	}
	return nil
}

// inlineTables reads the schema a semantic model asset carries in its own
// columns (see entropydata.ColumnTypeTable); ok is false when it has none.
func inlineTables(a *entropydata.Asset) (tables []Table, ok bool) {
	for _, c := range a.Columns {
		if c.Type != entropydata.ColumnTypeTable {
			return nil, false
		}
		t := Table{
			AssetID:     entropydata.PowerBITableAssetID(a.Info.SourceID, c.Name),
			Name:        c.Name,
			Description: c.Description,
			Hidden:      customBool(c.Custom, entropydata.CustomHidden),
			Columns:     columnsOf(c.Properties),
		}
		tables = append(tables, t)
	}
	slices.SortFunc(tables, func(a, b Table) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.AssetID, b.AssetID)) })
	return tables, len(tables) > 0
}

// childOf reports whether a has no parent other than parentID.
func childOf(a *entropydata.Asset, parentID string) bool {
	for _, rel := range a.Relationships {
		if rel.RelationshipType == entropydata.RelationshipParent && rel.AssetID != parentID {
			return false
		}
	}
	return true
}

func tableOf(a *entropydata.Asset) Table {
	t := Table{
		AssetID:     a.ID,
		Name:        a.Info.Name,
		Description: a.Info.Description,
		Hidden:      customBool(a.Custom, entropydata.CustomHidden),
		Columns:     columnsOf(a.Columns),
	}
	return t
}

func columnsOf(cols []entropydata.AssetColumn) []Column {
	out := make([]Column, 0, len(cols))
	for _, c := range cols {
		out = append(out, Column{
			Name: c.Name, DataType: c.Type, Description: c.Description, Hidden: customBool(c.Custom, entropydata.CustomHidden),
		})
	}
	return out
}
