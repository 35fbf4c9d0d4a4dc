package entropyapi

import (
	"net/http"
	"strings"
	"time"
)

// Access (formerly data usage agreement) connects a consumer with an output port of a provider data
// product. It starts as a request (status "requested") and becomes an agreement when approved.
//
// The document's status enum is requested | approved | rejected, and `active` is computed: approved
// and today within [startDate, endDate). Canceling ends an approved agreement "at a specified end
// date (can be now)" (AccessCanceledEvent: "canceled (terminated) and will be deactivated at the
// defined end date"), so a canceled access keeps status "approved", gets info.endDate set, and
// turns inactive on that date. INFERRED: POST .../cancel may carry {"endDate":"YYYY-MM-DD"};
// without it the end date is today, so the access is inactive at once.

// Access is the API document's Access schema.
type Access struct {
	ID       string            `json:"id"`
	Info     AccessInfo        `json:"info"`
	Provider AccessProvider    `json:"provider"`
	Roles    []string          `json:"roles,omitempty"`
	Consumer AccessConsumer    `json:"consumer"`
	Tags     []string          `json:"tags,omitempty"`
	Links    map[string]string `json:"links,omitempty"`
	Custom   map[string]string `json:"custom,omitempty"`
}

// AccessInfo is Access.info. Status and Active are managed by the server.
type AccessInfo struct {
	Purpose              string `json:"purpose"`
	IndividualAgreements string `json:"individualAgreements,omitempty"`
	Status               string `json:"status,omitempty"`
	Active               bool   `json:"active"`
	StartDate            string `json:"startDate,omitempty"` // YYYY-MM-DD
	EndDate              string `json:"endDate,omitempty"`
	NextReassessmentDate string `json:"nextReassessmentDate,omitempty"`
}

// AccessProvider is Access.provider. TeamID and the data contract fields are filled by the server.
type AccessProvider struct {
	DataProductID       string `json:"dataProductId"`
	OutputPortID        string `json:"outputPortId"`
	TeamID              string `json:"teamId,omitempty"`
	DataContractID      string `json:"dataContractId,omitempty"`
	DataContractVersion string `json:"dataContractVersion,omitempty"`
}

// AccessConsumer is Access.consumer: exactly one of a data product, a team or a user.
//
// The document's consumer is a oneOf of {dataProductId (required), teamId}, {teamId (required)} and
// {userId (required)}. An object with both dataProductId and teamId matches the first two branches,
// which oneOf forbids, so for a data product consumer the server does not return teamId (and drops
// one sent with it); the consuming team is the consumer data product's owner.
type AccessConsumer struct {
	DataProductID string `json:"dataProductId,omitempty"`
	TeamID        string `json:"teamId,omitempty"`
	UserID        string `json:"userId,omitempty"`
}

// Access statuses (the document's enum).
const (
	AccessRequested = "requested"
	AccessApproved  = "approved"
	AccessRejected  = "rejected"
)

// storedAccess is an access plus what the server remembers beyond the wire shape.
type storedAccess struct {
	Access Access `json:"access"`
	// CanceledEndDate is the end date set by cancel; a later PUT cannot move it back.
	CanceledEndDate string `json:"canceledEndDate,omitempty"`
}

// Accesses returns all accesses in creation order, as GET returns them.
func (s *Server) Accesses() []Access {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Access
	for _, sa := range ordered(s.st.access) {
		out = append(out, s.renderAccess(sa))
	}
	return out
}

func (s *Server) today() string { return s.now().Format(time.DateOnly) }

func accessActive(a Access, today string) bool {
	return a.Info.Status == AccessApproved &&
		(a.Info.StartDate == "" || a.Info.StartDate <= today) &&
		(a.Info.EndDate == "" || today < a.Info.EndDate)
}

// renderAccess is the access as GET returns it: active computed, provider team from the provider's
// current owner, and "unknown" ids once the provider product or port is gone (as documented).
func (s *Server) renderAccess(sa storedAccess) Access {
	a := clone(sa.Access)
	a.Info.Active = accessActive(a, s.today())
	if p, ok := s.st.products[a.Provider.DataProductID]; ok {
		a.Provider.TeamID = p.v.view.Info.Owner
		if _, ok := p.v.view.outputPort(a.Provider.OutputPortID); !ok {
			a.Provider.OutputPortID = "unknown"
		}
	} else {
		a.Provider.DataProductID, a.Provider.OutputPortID = "unknown", "unknown"
	}
	return a
}

func (s *Server) listAccess(w http.ResponseWriter, r *http.Request) error {
	p, err := pageNumber(r)
	if err != nil {
		return err
	}
	size, err := intParam(r, "pageSize", s.pageSize(), 2, 10000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	provider, consumer, ctype := q.Get("providerDataProductId"), q.Get("consumerDataProductId"), q.Get("consumerType")
	if ctype != "" && ctype != "team" && ctype != "user" && ctype != "dataproduct" {
		return badRequest("Query parameter 'consumerType' must be one of team, user, dataproduct, got %q.", ctype)
	}
	s.mu.Lock()
	items := []Access{}
	for _, sa := range ordered(s.st.access) {
		a := sa.Access
		if (provider != "" && a.Provider.DataProductID != provider) ||
			(consumer != "" && a.Consumer.DataProductID != consumer) ||
			(ctype != "" && consumerType(a.Consumer) != ctype) {
			continue
		}
		items = append(items, s.renderAccess(sa))
	}
	s.mu.Unlock()
	writePage(w, r, items, p, size)
	return nil
}

func consumerType(c AccessConsumer) string {
	switch {
	case c.DataProductID != "":
		return "dataproduct"
	case c.UserID != "":
		return "user"
	default:
		return "team"
	}
}

func (s *Server) getAccess(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	sa, ok := s.st.access[r.PathValue("id")]
	var a Access
	if ok {
		a = s.renderAccess(sa.v)
	}
	s.mu.Unlock()
	if !ok {
		return notFound("Access '%s' not found.", r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// putAccess answers 200 with no body. INFERRED (the document lists only 200): missing required
// fields are 400 with violations; a provider product, output port, consumer product or consumer
// team that does not exist is 422 naming it. A new access is "requested", or "approved" at once
// when the provider's output port has autoApprove: true. Status, active, provider.teamId and the
// data contract fields in the body are ignored.
func (s *Server) putAccess(w http.ResponseWriter, r *http.Request) error {
	var a Access
	if err := decodeJSON(w, r, &a); err != nil {
		return err
	}
	s.mu.Lock()
	err := s.putAccessLocked(r.PathValue("id"), a)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// PutAccess adds or replaces an access with the same rules as PUT /api/access/{id}.
func (s *Server) PutAccess(a Access) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putAccessLocked(a.ID, clone(a))
}

func (s *Server) putAccessLocked(pathID string, a Access) error {
	if a.ID == "" || a.ID != pathID {
		return unprocessable("The access id '%s' must be same as the path parameter '%s'.", a.ID, pathID)
	}
	var vs violations
	if strings.TrimSpace(a.Info.Purpose) == "" {
		vs.add("info.purpose", "must not be blank")
	}
	if a.Provider.DataProductID == "" {
		vs.add("provider.dataProductId", "must not be blank")
	}
	if a.Provider.OutputPortID == "" {
		vs.add("provider.outputPortId", "must not be blank")
	}
	c := a.Consumer
	switch {
	case c.DataProductID == "" && c.TeamID == "" && c.UserID == "":
		vs.add("consumer", "must name a dataProductId, a teamId or a userId")
	case c.UserID != "" && (c.DataProductID != "" || c.TeamID != ""):
		vs.add("consumer", "a user consumer cannot also name a data product or a team")
	}
	for field, d := range map[string]string{"info.startDate": a.Info.StartDate, "info.endDate": a.Info.EndDate, "info.nextReassessmentDate": a.Info.NextReassessmentDate} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			vs.add(field, "must be a date (YYYY-MM-DD)")
		}
	}
	if err := vs.err(); err != nil {
		return err
	}

	provider, ok := s.st.products[a.Provider.DataProductID]
	if !ok {
		return unprocessable("The provider data product '%s' does not exist.", a.Provider.DataProductID)
	}
	port, ok := provider.v.view.outputPort(a.Provider.OutputPortID)
	if !ok {
		return unprocessable("The output port '%s' does not exist in the provider data product '%s'.", a.Provider.OutputPortID, a.Provider.DataProductID)
	}
	if c.DataProductID != "" {
		if _, ok := s.st.products[c.DataProductID]; !ok {
			return unprocessable("The consumer data product '%s' does not exist.", c.DataProductID)
		}
		if c.DataProductID == a.Provider.DataProductID {
			return unprocessable("Data product '%s' cannot consume its own output port.", c.DataProductID)
		}
		a.Consumer.TeamID = "" // see AccessConsumer
	} else if c.TeamID != "" {
		if _, ok := s.st.teams[c.TeamID]; !ok {
			return unprocessable("The consumer team '%s' does not exist.", c.TeamID)
		}
	}

	// Server-managed fields.
	a.Info.Active = false
	a.Provider.TeamID = provider.v.view.Info.Owner
	stored := storedAccess{}
	old, exists := s.st.access[a.ID]
	if exists && old.v.Access.Provider.DataProductID == a.Provider.DataProductID &&
		old.v.Access.Provider.OutputPortID == a.Provider.OutputPortID && old.v.Access.Consumer == a.Consumer {
		// Same parties: the workflow state and the contract snapshot carry over.
		stored.CanceledEndDate = old.v.CanceledEndDate
		a.Info.Status = old.v.Access.Info.Status
		a.Provider.DataContractID = old.v.Access.Provider.DataContractID
		a.Provider.DataContractVersion = old.v.Access.Provider.DataContractVersion
		if stored.CanceledEndDate != "" && (a.Info.EndDate == "" || a.Info.EndDate > stored.CanceledEndDate) {
			a.Info.EndDate = stored.CanceledEndDate
		}
	} else {
		// New, or new parties: a new request, approved at once by an autoApprove port.
		a.Info.Status = AccessRequested
		if port.AutoApprove {
			a.Info.Status = AccessApproved
		}
		a.Provider.DataContractID = port.DataContractID // "at the time of the access request"
		a.Provider.DataContractVersion = ""
	}
	stored.Access = a
	put(s.st, s.st.access, a.ID, stored)
	return nil
}

// deleteAccess answers 200 or 404, as documented.
func (s *Server) deleteAccess(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	s.mu.Lock()
	_, ok := s.st.access[id]
	delete(s.st.access, id)
	s.mu.Unlock()
	if !ok {
		return notFound("Access '%s' not found.", id)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// approveAccess answers 200 (also when already approved) or 404 as documented; 403 when a
// team-scoped key's team does not own the provider data product; 422 when the access was rejected
// or canceled (INFERRED: the document lists no status for a transition that is not allowed).
func (s *Server) approveAccess(w http.ResponseWriter, r *http.Request) error {
	return s.transitionAccess(w, r, "approve", func(sa *storedAccess) error {
		switch {
		case sa.CanceledEndDate != "":
			return unprocessable("Access '%s' was canceled and cannot be approved again; create a new access request.", sa.Access.ID)
		case sa.Access.Info.Status == AccessRejected:
			return unprocessable("Access '%s' was rejected and cannot be approved; create a new access request.", sa.Access.ID)
		}
		sa.Access.Info.Status = AccessApproved
		return nil
	})
}

func (s *Server) rejectAccess(w http.ResponseWriter, r *http.Request) error {
	return s.transitionAccess(w, r, "reject", func(sa *storedAccess) error {
		if sa.Access.Info.Status == AccessApproved {
			return unprocessable("Access '%s' is already approved; cancel it instead.", sa.Access.ID)
		}
		sa.Access.Info.Status = AccessRejected
		return nil
	})
}

// cancelAccess ends an approved access at the given end date (default today).
func (s *Server) cancelAccess(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		EndDate string `json:"endDate"`
	}
	b, err := readOptionalBody(w, r)
	if err != nil {
		return err
	}
	if b != nil {
		if err := unmarshalStrict(b, &body); err != nil {
			return err
		}
	}
	if body.EndDate != "" {
		if _, err := time.Parse(time.DateOnly, body.EndDate); err != nil {
			var vs violations
			vs.add("endDate", "must be a date (YYYY-MM-DD)")
			return vs.err()
		}
	}
	return s.transitionAccess(w, r, "cancel", func(sa *storedAccess) error {
		if sa.Access.Info.Status != AccessApproved {
			return unprocessable("Only an approved access can be canceled; access '%s' is %s.", sa.Access.ID, sa.Access.Info.Status)
		}
		end := body.EndDate
		if end == "" || end < s.today() {
			end = s.today()
		}
		if sa.CanceledEndDate != "" && sa.CanceledEndDate < end {
			end = sa.CanceledEndDate
		}
		sa.CanceledEndDate = end
		sa.Access.Info.EndDate = end
		return nil
	})
}

func (s *Server) transitionAccess(w http.ResponseWriter, r *http.Request, action string, apply func(*storedAccess) error) error {
	id := r.PathValue("id")
	p := principalOf(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.st.access[id]
	if !ok {
		return notFound("Access '%s' not found.", id)
	}
	a := s.renderAccess(rec.v)
	allowed := mayActForTeam(p, a.Provider.TeamID)
	if action == "cancel" && !allowed {
		allowed = mayActForTeam(p, s.consumerTeam(a.Consumer))
	}
	if !allowed {
		return forbidden("The API key (team '%s') may not %s access '%s': the provider data product '%s' is owned by team '%s'.", p.Team, action, id, a.Provider.DataProductID, a.Provider.TeamID)
	}
	updated := rec.v
	updated.Access = clone(rec.v.Access)
	if err := apply(&updated); err != nil {
		return err
	}
	rec.v = updated
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) consumerTeam(c AccessConsumer) string {
	if c.DataProductID != "" {
		if p, ok := s.st.products[c.DataProductID]; ok {
			return p.v.view.Info.Owner
		}
		return ""
	}
	return c.TeamID
}
