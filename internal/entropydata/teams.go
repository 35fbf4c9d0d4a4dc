package entropydata

import (
	"context"
	"net/http"
)

// Team owns data products and assets. Type is one of "Domain", "Team",
// "Domain Team", "Enabling Team", "Platform Team", "Governance Group"; only a
// "Team" can own data products.
type Team struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Parent      string `json:"parent,omitempty"`
	Description string `json:"description,omitempty"`
	// Members are kept so that a read-modify-write PutTeam does not drop them.
	Members []TeamMember      `json:"members,omitempty"`
	Tags    []string          `json:"tags,omitempty"`
	Links   map[string]string `json:"links,omitempty"`
	Custom  map[string]string `json:"custom,omitempty"`
}

// TeamMember is a member of a team and their role (e.g. "Owner").
type TeamMember struct {
	EmailAddress string `json:"emailAddress"`
	Role         string `json:"role,omitempty"`
}

// GetTeam returns the team.
func (c *Client) GetTeam(ctx context.Context, id string) (*Team, error) {
	var out Team
	if _, err := c.do(ctx, call{op: "get team", object: id, method: http.MethodGet, path: []string{"teams", id}, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// PutTeam creates or replaces the team t.ID.
func (c *Client) PutTeam(ctx context.Context, t Team) error {
	_, err := c.do(ctx, call{op: "create or update team", object: t.ID, method: http.MethodPut, path: []string{"teams", t.ID}, body: t})
	return err
}

// DeleteTeam deletes the team; a missing one is ErrNotFound.
func (c *Client) DeleteTeam(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: "delete team", object: id, method: http.MethodDelete, path: []string{"teams", id}})
	return err
}

// ListTeams returns every team, following all pages.
func (c *Client) ListTeams(ctx context.Context) ([]Team, error) {
	return listAll[Team](ctx, c, call{op: "list teams", method: http.MethodGet, path: []string{"teams"}})
}
