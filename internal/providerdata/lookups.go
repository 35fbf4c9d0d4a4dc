package providerdata

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// lookups remembers, for the one Terraform command a provider process
// serves, answers that every resource would otherwise ask again: the
// organization's data product types and which teams exist. Only successful
// answers are kept, so a failure or a missing team is asked again.
type lookups struct {
	mu    sync.Mutex
	types []entropydata.DataProductType
	teams map[string]bool
	// assets a refresh fetched for the plan of the same command; see KeepAsset.
	assets map[string]*entropydata.Asset
}

// KeepAsset holds an asset that a resource's Read fetched so that its
// ModifyPlan, which Terraform calls next in the same command, need not fetch
// it again. Each kept asset is taken at most once (TakeAsset), so a later
// command phase in the same process reads afresh.
func (d *ProviderData) KeepAsset(a *entropydata.Asset) {
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	if d.cache.assets == nil {
		d.cache.assets = map[string]*entropydata.Asset{}
	}
	d.cache.assets[a.ID] = a
}

// TakeAsset returns and forgets the asset KeepAsset holds for this id, or nil.
func (d *ProviderData) TakeAsset(id string) *entropydata.Asset {
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	a := d.cache.assets[id]
	delete(d.cache.assets, id)
	return a
}

// DataProductTypes returns the organization's data product types.
func (d *ProviderData) DataProductTypes(ctx context.Context) ([]entropydata.DataProductType, error) {
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	if d.cache.types != nil {
		return d.cache.types, nil
	}
	types, err := d.Client.GetDataProductTypes(ctx)
	if err != nil {
		return nil, err
	}
	d.cache.types = types
	return types, nil
}

// CheckTeam adds an error on attr when Entropy Data has no team with this id.
func (d *ProviderData) CheckTeam(ctx context.Context, team string, attr path.Path, diags *diag.Diagnostics) {
	d.cache.mu.Lock()
	known := d.cache.teams[team]
	d.cache.mu.Unlock()
	if known {
		return
	}
	_, err := d.Client.GetTeam(ctx, team)
	switch {
	case entropydata.IsNotFound(err):
		diags.AddAttributeError(attr, "Unknown owner team",
			fmt.Sprintf("Entropy Data has no team with id %q. Create the team first, or correct %s.", team, attr))
	case err != nil:
		AddAPIError(diags, "Could not check the owner team", err)
	default:
		d.cache.mu.Lock()
		if d.cache.teams == nil {
			d.cache.teams = map[string]bool{}
		}
		d.cache.teams[team] = true
		d.cache.mu.Unlock()
	}
}
