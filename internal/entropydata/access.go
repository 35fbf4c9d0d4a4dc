package entropydata

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Access is a data usage agreement between a provider output port and a
// consumer (a data product, a team or a user). The provider uses one from a
// consumer data product to the upstream output port to record lineage.
//
// Fields the spec marks read-only (Info.Status, Info.Active,
// Provider.DataContractID/Version, Provisioning) are decoded but never sent.
type Access struct {
	ID           string              `json:"id"`
	Info         AccessInfo          `json:"info"`
	Provider     AccessProvider      `json:"provider"`
	Consumer     AccessConsumer      `json:"consumer"`
	Roles        []string            `json:"roles,omitempty"`
	Tags         []string            `json:"tags,omitempty"`
	Links        TextMap             `json:"links,omitempty"`
	Custom       TextMap             `json:"custom,omitempty"`
	Provisioning *AccessProvisioning `json:"provisioning,omitempty"` // read-only
}

// AccessInfo: dates are "YYYY-MM-DD".
type AccessInfo struct {
	Purpose              string `json:"purpose"`
	IndividualAgreements string `json:"individualAgreements,omitempty"`
	Status               string `json:"status,omitempty"` // read-only: AccessRequested, AccessApproved, AccessRejected
	Active               bool   `json:"active,omitempty"` // read-only: approved and within start/end date
	StartDate            string `json:"startDate,omitempty"`
	EndDate              string `json:"endDate,omitempty"`
	NextReassessmentDate string `json:"nextReassessmentDate,omitempty"`
}

// Access approval states (AccessInfo.Status).
const (
	AccessRequested = "requested"
	AccessApproved  = "approved"
	AccessRejected  = "rejected"
)

// AccessProvider is the output port being consumed.
type AccessProvider struct {
	DataProductID       string `json:"dataProductId"`
	OutputPortID        string `json:"outputPortId"`
	TeamID              string `json:"teamId,omitempty"`
	DataContractID      string `json:"dataContractId,omitempty"`      // read-only
	DataContractVersion string `json:"dataContractVersion,omitempty"` // read-only
}

// AccessConsumer: set DataProductID (optionally with TeamID), or TeamID, or UserID.
type AccessConsumer struct {
	DataProductID string `json:"dataProductId,omitempty"`
	TeamID        string `json:"teamId,omitempty"`
	UserID        string `json:"userId,omitempty"`
}

// AccessProvisioning is reported by the component that creates the grant.
type AccessProvisioning struct {
	Status                  string               `json:"status"`
	Platform                *string              `json:"platform,omitempty"`
	Executor                *string              `json:"executor,omitempty"`
	Reference               *string              `json:"reference,omitempty"`
	Diagnostics             *string              `json:"diagnostics,omitempty"`
	Note                    *string              `json:"note,omitempty"`
	ProvisioningStartedAt   *time.Time           `json:"provisioningStartedAt,omitempty"`
	ProvisionedAt           *time.Time           `json:"provisionedAt,omitempty"`
	DeprovisioningStartedAt *time.Time           `json:"deprovisioningStartedAt,omitempty"`
	DeprovisionedAt         *time.Time           `json:"deprovisionedAt,omitempty"`
	FailedAt                *time.Time           `json:"failedAt,omitempty"`
	CustomProperties        []ProvisioningCustom `json:"customProperties,omitempty"`
	Links                   map[string]string    `json:"links,omitempty"`
}

// ProvisioningCustom is one connector-specific value of AccessProvisioning.
type ProvisioningCustom struct {
	Property string `json:"property"`
	Value    string `json:"value"` // a value that is not text, as JSON text
}

// UnmarshalJSON accepts any JSON value: the provider never writes these.
func (p *ProvisioningCustom) UnmarshalJSON(b []byte) error {
	var w struct {
		Property string          `json:"property"`
		Value    json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.Property, p.Value = w.Property, odpsText(w.Value)
	return nil
}

// UnmarshalJSON reads the provisioning report; one of an unexpected shape
// (it is read-only and informational) reads as nil instead of failing the
// agreement.
func (a *Access) UnmarshalJSON(b []byte) error {
	type plain Access
	var p plain
	if err := lenient(b, &p); err != nil {
		return err
	}
	var prov struct {
		Provisioning json.RawMessage `json:"provisioning"`
	}
	_ = json.Unmarshal(b, &prov)
	*a = Access(p)
	a.Provisioning = nil
	if !isNull(prov.Provisioning) {
		var report AccessProvisioning
		if json.Unmarshal(prov.Provisioning, &report) == nil {
			a.Provisioning = &report
		}
	}
	return nil
}

// accessWrite is the PUT body: Access without its read-only fields.
type accessWrite struct {
	ID       string          `json:"id"`
	Info     accessInfoWrite `json:"info"`
	Provider accessProvWrite `json:"provider"`
	Consumer AccessConsumer  `json:"consumer"`
	Roles    []string        `json:"roles,omitempty"`
	Tags     []string        `json:"tags,omitempty"`
	Links    TextMap         `json:"links,omitempty"`
	Custom   TextMap         `json:"custom,omitempty"`
}

type accessInfoWrite struct {
	Purpose              string `json:"purpose"`
	IndividualAgreements string `json:"individualAgreements,omitempty"`
	StartDate            string `json:"startDate,omitempty"`
	EndDate              string `json:"endDate,omitempty"`
	NextReassessmentDate string `json:"nextReassessmentDate,omitempty"`
}

type accessProvWrite struct {
	DataProductID string `json:"dataProductId"`
	OutputPortID  string `json:"outputPortId"`
	TeamID        string `json:"teamId,omitempty"`
}

// ListAccessOptions filters ListAccess; zero values do not filter.
type ListAccessOptions struct {
	ProviderDataProductID string
	ConsumerDataProductID string
	ConsumerType          string // "team", "user" or "dataproduct"
	PageSize              int    // 0 => server default (1000); the API allows 2..10000
}

// PutAccess creates or replaces the access a.ID. It does not approve it.
func (c *Client) PutAccess(ctx context.Context, a Access) error {
	body := accessWrite{
		ID: a.ID,
		Info: accessInfoWrite{
			Purpose: a.Info.Purpose, IndividualAgreements: a.Info.IndividualAgreements,
			StartDate: a.Info.StartDate, EndDate: a.Info.EndDate, NextReassessmentDate: a.Info.NextReassessmentDate,
		},
		Provider: accessProvWrite{DataProductID: a.Provider.DataProductID, OutputPortID: a.Provider.OutputPortID, TeamID: a.Provider.TeamID},
		Consumer: a.Consumer,
		Roles:    a.Roles, Tags: a.Tags, Links: a.Links, Custom: a.Custom,
	}
	_, err := c.do(ctx, call{op: "create or update access", object: a.ID, method: http.MethodPut, path: []string{"access", a.ID}, body: body})
	return err
}

// GetAccess returns the access.
func (c *Client) GetAccess(ctx context.Context, id string) (*Access, error) {
	var out Access
	if _, err := c.do(ctx, call{op: "get access", object: id, method: http.MethodGet, path: []string{"access", id}, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// ApproveAccess approves a requested access (no notification emails).
func (c *Client) ApproveAccess(ctx context.Context, id string) error {
	return c.accessAction(ctx, id, "approve")
}

// RejectAccess rejects a requested access.
func (c *Client) RejectAccess(ctx context.Context, id string) error {
	return c.accessAction(ctx, id, "reject")
}

// CancelAccess cancels an access.
func (c *Client) CancelAccess(ctx context.Context, id string) error {
	return c.accessAction(ctx, id, "cancel")
}

func (c *Client) accessAction(ctx context.Context, id, action string) error {
	_, err := c.do(ctx, call{op: action + " access", object: id, method: http.MethodPost, path: []string{"access", id, action}})
	return err
}

// DeleteAccess deletes the access; a missing one is ErrNotFound.
func (c *Client) DeleteAccess(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: "delete access", object: id, method: http.MethodDelete, path: []string{"access", id}})
	return err
}

// ListAccess returns all matching accesses, following all pages.
func (c *Client) ListAccess(ctx context.Context, opts ListAccessOptions) ([]Access, error) {
	q := url.Values{}
	if opts.ProviderDataProductID != "" {
		q.Set("providerDataProductId", opts.ProviderDataProductID)
	}
	if opts.ConsumerDataProductID != "" {
		q.Set("consumerDataProductId", opts.ConsumerDataProductID)
	}
	if opts.ConsumerType != "" {
		q.Set("consumerType", opts.ConsumerType)
	}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	return listAll[Access](ctx, c, call{op: "list access", method: http.MethodGet, path: []string{"access"}, query: q})
}
