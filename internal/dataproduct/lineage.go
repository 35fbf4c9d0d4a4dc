package dataproduct

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
	"github.com/entropy-data/terraform-provider-entropydata/internal/providerdata"
)

// Lineage between data products is recorded as access agreements (data
// usage agreements) from the consumer data product to the provider's output
// port. The agreements this resource creates carry a marker in their custom
// fields; only those are read back, changed or cleaned up, so agreements made
// in the UI for the same product are left alone.
const (
	customManagedBy = "managedBy"
	managedByValue  = "terraform-provider-entropydata"

	// maxGenerations bounds the search for a free agreement id.
	maxGenerations = 50
	// unknownID is what the API reports for a provider product or port that was deleted.
	unknownID = "unknown"
)

// agreementBaseID is the deterministic id of the agreement from consumer to
// the upstream port: readable, valid as a URL path segment, and with a hash
// of the exact ids so that different parties never share it.
func agreementBaseID(consumer string, k upstreamKey) string {
	sum := sha256.Sum256([]byte(consumer + "\x00" + k.DataProductID + "\x00" + k.OutputPortID))
	var b strings.Builder
	for _, r := range consumer + "--" + k.DataProductID + "--" + k.OutputPortID {
		if r < 128 && (r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	readable := b.String()
	if len(readable) > 100 {
		readable = readable[:100]
	}
	return readable + "-" + hex.EncodeToString(sum[:4])
}

// agreementID is the id of the n-th agreement between the same parties
// (n >= 1): a canceled or rejected agreement cannot be revived, so linking
// again after one needs a new id.
func agreementID(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "-" + strconv.Itoa(n)
}

func purpose(consumer string, k upstreamKey) string {
	return fmt.Sprintf("Lineage declared in Terraform: data product %q uses output port %q of data product %q.",
		consumer, k.OutputPortID, k.DataProductID)
}

func managed(a entropydata.Access) bool { return a.Custom[customManagedBy] == managedByValue }

// lineage creates, reads and withdraws the agreements of one consumer.
type lineage struct {
	client *entropydata.Client
	now    func() time.Time
}

func (l lineage) today() string { return l.now().UTC().Format(time.DateOnly) }

// ended reports whether an approved agreement was canceled (its end date has come).
func (l lineage) ended(a entropydata.Access) bool {
	return a.Info.EndDate != "" && a.Info.EndDate <= l.today()
}

// live: requested, or approved and not ended, with a provider that still exists.
func (l lineage) live(a entropydata.Access) bool {
	if a.Provider.DataProductID == unknownID || a.Provider.OutputPortID == unknownID {
		return false
	}
	switch a.Info.Status {
	case entropydata.AccessRequested:
		return true
	case entropydata.AccessApproved:
		return !l.ended(a)
	}
	return false
}

// active: approved and not ended, i.e. an agreement that blocks deleting its provider.
func (l lineage) active(a entropydata.Access) bool {
	return a.Info.Status == entropydata.AccessApproved && !l.ended(a)
}

func entryOf(a entropydata.Access) upstreamEntry {
	return upstreamEntry{
		upstreamKey: upstreamKey{a.Provider.DataProductID, a.Provider.OutputPortID},
		AccessID:    a.ID, Status: a.Info.Status,
	}
}

// managedOf lists the agreements this resource made for the consumer, in creation order.
func (l lineage) managedOf(ctx context.Context, consumer string) ([]entropydata.Access, error) {
	all, err := l.client.ListAccess(ctx, entropydata.ListAccessOptions{ConsumerDataProductID: consumer})
	if err != nil {
		return nil, err
	}
	var out []entropydata.Access
	for _, a := range all {
		if managed(a) && a.Consumer.DataProductID == consumer {
			out = append(out, a)
		}
	}
	return out, nil
}

// read returns the consumer's upstream links as they stand: the prior
// entries whose agreement is still live (or was rejected: the declaration
// stands, the provider declined), in their order, then any other live
// agreement of the consumer (after an import, or created by an apply whose
// state was lost). Canceled agreements and those whose provider was deleted
// drop out, so the plan shows the link as missing.
func (l lineage) read(ctx context.Context, consumer string, prior []upstreamEntry) ([]upstreamEntry, error) {
	accesses, err := l.managedOf(ctx, consumer)
	if err != nil {
		return nil, err
	}
	byID := map[string]entropydata.Access{}
	for _, a := range accesses {
		byID[a.ID] = a
	}
	out := []upstreamEntry{}
	seen := map[upstreamKey]bool{}
	used := map[string]bool{}
	for _, p := range prior {
		a, ok := byID[p.AccessID]
		if !ok || used[a.ID] || !(l.live(a) || a.Info.Status == entropydata.AccessRejected) || a.Provider.DataProductID == unknownID {
			continue
		}
		e := entryOf(a)
		if seen[e.upstreamKey] {
			continue
		}
		out = append(out, e)
		seen[e.upstreamKey], used[a.ID] = true, true
	}
	for _, a := range accesses {
		e := entryOf(a)
		if used[a.ID] || seen[e.upstreamKey] || !l.live(a) {
			continue
		}
		out = append(out, e)
		seen[e.upstreamKey], used[a.ID] = true, true
	}
	return out, nil
}

// apply makes the consumer's agreements match desired: prior entries that
// are no longer wanted are withdrawn, new ones are requested and, when the
// API key may, approved. It returns the entries that now exist, in desired
// order (entries that could not be withdrawn stay, at the end), and reports
// problems per upstream element.
func (l lineage) apply(ctx context.Context, consumer string, prior []upstreamEntry, desired []upstreamKey, diags *diag.Diagnostics) []upstreamEntry {
	want := map[upstreamKey]bool{}
	for _, k := range desired {
		want[k] = true
	}
	var kept []upstreamEntry
	byKey := map[upstreamKey]upstreamEntry{}
	for _, p := range prior {
		if want[p.upstreamKey] && p.AccessID != "" {
			byKey[p.upstreamKey] = p
			continue
		}
		if err := l.withdraw(ctx, p.AccessID); err != nil {
			providerdata.AddAttributeAPIError(diags, path.Root("upstream"), fmt.Sprintf("Could not cancel the access agreement %q for the removed upstream %s", p.AccessID, p.upstreamKey), err)
			kept = append(kept, p)
		}
	}
	out := []upstreamEntry{}
	for i, k := range desired {
		if p, ok := byKey[k]; ok {
			out = append(out, p)
			continue
		}
		if e, ok := l.link(ctx, consumer, k, i, diags); ok {
			out = append(out, e)
		}
	}
	return append(out, kept...)
}

// link requests the agreement from consumer to k and approves it when it may.
func (l lineage) link(ctx context.Context, consumer string, k upstreamKey, index int, diags *diag.Diagnostics) (upstreamEntry, bool) {
	at := path.Root("upstream").AtListIndex(index)
	id, err := l.freeID(ctx, consumer, k)
	if err != nil {
		diags.AddAttributeError(at, "Could not create the access agreement", err.Error())
		return upstreamEntry{}, false
	}
	err = l.client.PutAccess(ctx, entropydata.Access{
		ID:       id,
		Info:     entropydata.AccessInfo{Purpose: purpose(consumer, k)},
		Provider: entropydata.AccessProvider{DataProductID: k.DataProductID, OutputPortID: k.OutputPortID},
		Consumer: entropydata.AccessConsumer{DataProductID: consumer},
		Custom:   map[string]string{customManagedBy: managedByValue},
	})
	if err != nil {
		detail := err.Error()
		if errors.Is(err, entropydata.ErrValidation) {
			detail += fmt.Sprintf("\n\nCheck upstream[%d]: the data product %q must exist and have an output port %q.", index, k.DataProductID, k.OutputPortID)
		}
		diags.AddAttributeError(at, fmt.Sprintf("Could not create the access agreement for upstream %s", k), detail)
		return upstreamEntry{}, false
	}
	a, err := l.client.GetAccess(ctx, id)
	if err != nil {
		providerdata.AddAttributeAPIError(diags, at, "Could not read the new access agreement", err)
		return upstreamEntry{upstreamKey: k, AccessID: id, Status: entropydata.AccessRequested}, true
	}
	if a.Info.Status == entropydata.AccessRequested {
		err := l.client.ApproveAccess(ctx, id)
		switch {
		case errors.Is(err, entropydata.ErrForbidden):
			team := a.Provider.TeamID
			if team == "" {
				team = "that owns data product " + strconv.Quote(k.DataProductID)
			} else {
				team = strconv.Quote(team)
			}
			diags.AddAttributeWarning(at, "Access agreement awaits approval",
				fmt.Sprintf("The access agreement %q (data product %q uses output port %q of data product %q) was requested, "+
					"but this API key may not approve it. A member of the team %s must approve it in Entropy Data, or "+
					"apply with an API key that may (such as an organization key). Until then upstream[%d].status is %q; "+
					"a later refresh shows the approval.", id, consumer, k.OutputPortID, k.DataProductID, team, index, entropydata.AccessRequested))
		case err != nil:
			providerdata.AddAttributeAPIError(diags, at, fmt.Sprintf("Could not approve the access agreement %q", id), err)
		default:
			if a, err = l.client.GetAccess(ctx, id); err != nil {
				providerdata.AddAttributeAPIError(diags, at, "Could not read the approved access agreement", err)
				return upstreamEntry{upstreamKey: k, AccessID: id, Status: entropydata.AccessApproved}, true
			}
		}
	}
	return upstreamEntry{upstreamKey: k, AccessID: id, Status: a.Info.Status}, true
}

// freeID finds the first agreement id for consumer and k that is unused, or
// that already holds a live agreement between the same parties (created by
// an apply whose state was lost), which is then taken over.
func (l lineage) freeID(ctx context.Context, consumer string, k upstreamKey) (string, error) {
	base := agreementBaseID(consumer, k)
	for n := 1; n <= maxGenerations; n++ {
		id := agreementID(base, n)
		a, err := l.client.GetAccess(ctx, id)
		if entropydata.IsNotFound(err) {
			return id, nil
		}
		if err != nil {
			return "", err
		}
		if a.Consumer.DataProductID == consumer && a.Provider.DataProductID == k.DataProductID &&
			a.Provider.OutputPortID == k.OutputPortID && l.live(*a) {
			return id, nil
		}
	}
	return "", fmt.Errorf("found no free access agreement id after %d tries (%s-2 ... -%d exist already)", maxGenerations, base, maxGenerations)
}

// withdraw ends an agreement: an approved one is canceled (it ends today,
// and stays on record), a request is deleted. Rejected, ended and missing
// agreements need nothing.
func (l lineage) withdraw(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	a, err := l.client.GetAccess(ctx, id)
	if entropydata.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case a.Info.Status == entropydata.AccessApproved && !l.ended(*a):
		err = l.client.CancelAccess(ctx, id)
	case a.Info.Status == entropydata.AccessRequested:
		err = l.client.DeleteAccess(ctx, id)
	}
	if entropydata.IsNotFound(err) {
		return nil
	}
	return err
}

// withdrawAll withdraws every agreement this resource made for the consumer.
func (l lineage) withdrawAll(ctx context.Context, consumer string) error {
	accesses, err := l.managedOf(ctx, consumer)
	if err != nil {
		return err
	}
	var errs []error
	for _, a := range accesses {
		if err := l.withdraw(ctx, a.ID); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// activeConsumers lists the active agreements that use provider's output
// ports, which keep the API from deleting it.
func (l lineage) activeConsumers(ctx context.Context, provider string) ([]entropydata.Access, error) {
	all, err := l.client.ListAccess(ctx, entropydata.ListAccessOptions{ProviderDataProductID: provider})
	if err != nil {
		return nil, err
	}
	var out []entropydata.Access
	for _, a := range all {
		if a.Provider.DataProductID == provider && l.active(a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// autoLinks finds the output ports a report data product consumes: those of
// the data products of type powerbi-semantic-model built on the report's
// semantic model (the model asset at the top level or in an output port),
// sorted by data product id.
func (l lineage) autoLinks(ctx context.Context, self, modelAssetID string) ([]upstreamKey, error) {
	if modelAssetID == "" {
		return []upstreamKey{}, nil
	}
	// One read at a time, as this look-up always did.
	products, err := catalog.New(l.client, catalog.WithConcurrency(1)).DataProducts(ctx, catalog.ProductQuery{
		Archetypes: []string{entropydata.DataProductTypePowerBISemanticModel},
		Keep: func(dp *entropydata.DataProduct) bool {
			return dp.ID != self && dp.Info.Archetype == entropydata.DataProductTypePowerBISemanticModel
		},
		// The list may carry top-level properties only.
		Complete: func(dp *entropydata.DataProduct) bool { return len(dp.OutputPorts) > 0 },
	})
	if err != nil {
		return nil, err
	}
	out := []upstreamKey{}
	for _, dp := range products {
		if p := portOfAsset(dp, modelAssetID); p != "" {
			out = append(out, upstreamKey{dp.ID, p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DataProductID < out[j].DataProductID })
	return out, nil
}

// portOfAsset returns the output port of dp that offers the asset: the
// first port referencing it, else the first port when dp references it at
// the top level; "" when dp does not offer it.
func portOfAsset(dp *entropydata.DataProduct, assetID string) string {
	refs := func(rs []entropydata.AssetRef) bool {
		return slices.ContainsFunc(rs, func(r entropydata.AssetRef) bool { return r.AssetID == assetID })
	}
	for _, p := range dp.OutputPorts {
		if refs(p.Assets) {
			return p.ID
		}
	}
	if refs(dp.Assets) && len(dp.OutputPorts) > 0 {
		return dp.OutputPorts[0].ID
	}
	return ""
}
