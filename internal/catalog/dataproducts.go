package catalog

import (
	"context"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// ProductQuery selects data products for Reader.DataProducts.
type ProductQuery struct {
	// Archetypes are listed one after the other, each with its own request.
	Archetypes []string
	// Keep, if set, drops list entries before anything is read for them.
	Keep func(*entropydata.DataProduct) bool
	// Complete tells whether a list entry already holds what the caller
	// needs; the others are read in full. The list may leave out ports and
	// assets ("only top-level properties"), and callers need different parts.
	Complete func(*entropydata.DataProduct) bool
}

// DataProducts lists the data products of q.Archetypes, in list order, and
// reads in full those whose entry is not complete, at most r.concurrency at a
// time. One deleted since the list is left out; any other failure ends the
// call. Together with AssetRefs it answers which data products are built on
// an asset, with requests that grow with those data products, not the catalog.
func (r *Reader) DataProducts(ctx context.Context, q ProductQuery) ([]*entropydata.DataProduct, error) {
	var listed []*entropydata.DataProduct
	for _, typ := range q.Archetypes {
		list, err := r.client.ListDataProducts(ctx, entropydata.ListDataProductsOptions{Archetype: typ})
		if err != nil {
			return nil, err
		}
		for i := range list {
			if q.Keep == nil || q.Keep(&list[i]) {
				listed = append(listed, &list[i])
			}
		}
	}
	full := make([]*entropydata.DataProduct, len(listed))
	err := r.parallel(ctx, len(listed), func(ctx context.Context, i int) error {
		if q.Complete != nil && q.Complete(listed[i]) {
			full[i] = listed[i]
			return nil
		}
		dp, err := r.client.GetDataProduct(ctx, listed[i].ID)
		if entropydata.IsNotFound(err) {
			return nil
		}
		full[i] = dp
		return err
	})
	if err != nil {
		return nil, err
	}
	out := full[:0]
	for _, dp := range full {
		if dp != nil {
			out = append(out, dp)
		}
	}
	return out, nil
}

// AssetRefs are the asset ids a data product references, at the top level
// and in its output ports.
func AssetRefs(dp *entropydata.DataProduct) []string {
	var ids []string
	for _, a := range dp.Assets {
		ids = append(ids, a.AssetID)
	}
	for _, port := range dp.OutputPorts {
		for _, a := range port.Assets {
			ids = append(ids, a.AssetID)
		}
	}
	return ids
}
