package entropyapi

import (
	"net/http"
	"slices"
	"strings"
)

// Team is the API document's Team schema.
type Team struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Parent      string            `json:"parent,omitempty"`
	Type        string            `json:"type"`
	Description string            `json:"description,omitempty"`
	Members     []TeamMember      `json:"members,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
	Links       map[string]string `json:"links,omitempty"`
	Custom      map[string]string `json:"custom,omitempty"`
}

// TeamMember is one entry of Team.members.
type TeamMember struct {
	EmailAddress string `json:"emailAddress,omitempty"`
	Role         string `json:"role,omitempty"`
}

// TeamTypes is the API document's Team.type enum.
var TeamTypes = []string{"Domain", "Team", "Domain Team", "Enabling Team", "Platform Team", "Governance Group"}

// PutTeam adds or replaces a team with the same rules as PUT /api/teams/{id}.
func (s *Server) PutTeam(t Team) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putTeamLocked(t.ID, clone(t))
}

// Teams returns all teams in creation order.
func (s *Server) Teams() []Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(ordered(s.st.teams))
}

func (s *Server) putTeamLocked(pathID string, t Team) error {
	var vs violations
	switch {
	case strings.TrimSpace(t.ID) == "":
		vs.add("id", "must not be blank")
	case t.ID != pathID:
		vs.add("id", "must be same as the path parameter '"+pathID+"'")
	}
	if strings.TrimSpace(t.Name) == "" {
		vs.add("name", "must not be blank")
	}
	if t.Type == "" {
		vs.add("type", "must not be blank")
	} else if !slices.Contains(TeamTypes, t.Type) {
		vs.add("type", "must be one of: "+strings.Join(TeamTypes, ", "))
	}
	if err := vs.err(); err != nil {
		return err
	}
	// Parents must exist first; the CLI's import creates parents before children for this reason.
	if t.Parent != "" {
		if t.Parent == t.ID {
			return unprocessable("Team '%s' cannot be its own parent.", t.ID)
		}
		if _, ok := s.st.teams[t.Parent]; !ok {
			return unprocessable("The parent team '%s' does not exist.", t.Parent)
		}
	}
	put(s.st, s.st.teams, t.ID, t)
	return nil
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) error {
	p, err := pageNumber(r)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(r.URL.Query().Get("email"))
	s.mu.Lock()
	teams := clone(ordered(s.st.teams))
	s.mu.Unlock()
	if email != "" {
		// Direct members only, case-insensitive, as documented.
		teams = slices.DeleteFunc(teams, func(t Team) bool {
			return !slices.ContainsFunc(t.Members, func(m TeamMember) bool { return strings.EqualFold(m.EmailAddress, email) })
		})
	}
	writePage(w, r, teams, p, s.pageSize())
	return nil
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	t, ok := s.st.teams[r.PathValue("id")]
	var out Team
	if ok {
		out = clone(t.v)
	}
	s.mu.Unlock()
	if !ok {
		return notFound("Team '%s' not found.", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// putTeam answers 200 with no body, as documented. Missing or invalid id/name/type are 400s with
// violations (the document lists only 200; bean validation is how the server rejects them).
func (s *Server) putTeam(w http.ResponseWriter, r *http.Request) error {
	var t Team
	if err := decodeJSON(w, r, &t); err != nil {
		return err
	}
	s.mu.Lock()
	err := s.putTeamLocked(r.PathValue("id"), t)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteTeam answers 200 or 404, as documented. Like the real server it does not cascade: data
// products, assets and integrations keep naming the team.
func (s *Server) deleteTeam(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	s.mu.Lock()
	_, ok := s.st.teams[id]
	delete(s.st.teams, id)
	s.mu.Unlock()
	if !ok {
		return notFound("Team '%s' not found.", id)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
