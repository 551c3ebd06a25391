package emulator

import (
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
)

// team is a governance team.
type team struct {
	id, name, customerID string
	calendar             bool // v2 team-level calendar_aligned
	limits
	created, updated time.Time
}

// customer is a governance customer (v1.5: one budget at most).
type customer struct {
	id, name string
	calendar bool // v2
	limits
	created, updated time.Time
}

// teamReq is the body of team creates and updates.
type teamReq struct {
	Name            *string       `json:"name"`
	CustomerID      optString     `json:"customer_id"`
	Budgets         []budgetReq   `json:"budgets"`
	RateLimit       *rateLimitReq `json:"rate_limit"`
	CalendarAligned *bool         `json:"calendar_aligned"` // v2
}

// customerReq is the body of customer creates and updates.
type customerReq struct {
	Name            *string       `json:"name"`
	Budget          *budgetPatch  `json:"budget"`
	Budgets         []budgetReq   `json:"budgets"` // v2
	RateLimit       *rateLimitReq `json:"rate_limit"`
	CalendarAligned *bool         `json:"calendar_aligned"` // v2
}

// How much of a team or customer a response embeds.
type embedding int

const (
	// embedFull: the entity as its own GET returns it, with its limits and the
	// relations the store preloads.
	embedFull embedding = iota
	// embedTeamInVK: a team inside a virtual key, with its customer row.
	embedTeamInVK
	// embedCustomerInVK: a customer inside a virtual key, with its team and VK rows.
	embedCustomerInVK
	// embedRow: the bare row (a team's customer, a customer's teams).
	embedRow
)

const (
	msgTeamNotFound     = "Team not found"
	msgCustomerNotFound = "Customer not found"
)

func (s *Server) findTeam(id string) *team {
	for _, t := range s.ownership.teams {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (s *Server) findCustomer(id string) *customer {
	for _, c := range s.ownership.customers {
		if c.id == id {
			return c
		}
	}
	return nil
}

// teamBudgetSync: v1.5 team budgets carry their own calendar_aligned, v2
// follows the team's.
func (s *Server) teamBudgetSync(t *team) budgetSync {
	return budgetSync{owner: budgetOwner{team: t.id}, aligned: s.v2 && t.calendar, perBudget: !s.v2}
}

// customerBudgetSync: v1.5 customer budgets name no owner (the customer
// points at its budget), v2 ones their customer.
func (s *Server) customerBudgetSync(cu *customer) budgetSync {
	if !s.v2 {
		return budgetSync{}
	}
	return budgetSync{owner: budgetOwner{customer: cu.id}, aligned: cu.calendar}
}

func (s *Server) createTeam(c *call) reply {
	var req teamReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	t := &team{id: uuid.NewString(), customerID: req.CustomerID.val}
	if req.Name != nil {
		t.name = *req.Name
	}
	if t.name == "" {
		return s.errReply(http.StatusBadRequest, "Team name is required")
	}
	if req.RateLimit != nil {
		if err := validateRateLimit(*req.RateLimit); err != nil {
			return s.errReply(http.StatusBadRequest, "Invalid rate limit: "+err.Error())
		}
	}
	t.calendar = s.v2 && req.CalendarAligned != nil && *req.CalendarAligned
	s.mu.Lock()
	defer s.mu.Unlock()
	const failed = "failed to create team"
	if rp, locked := s.lockFailed("", failed); locked {
		return rp
	}
	if req.RateLimit != nil {
		t.rl, _ = s.ownership.newRateLimit(*req.RateLimit, false)
	}
	if slices.ContainsFunc(s.ownership.teams, func(o *team) bool { return o.name == t.name }) {
		if s.v2 {
			return s.errReply(http.StatusConflict, "A team with this name already exists")
		}
		return s.errReply(http.StatusInternalServerError, failed)
	}
	if req.CustomerID.given() && s.findCustomer(t.customerID) == nil {
		return s.errReply(http.StatusInternalServerError, failed)
	}
	budgets, err := s.createBudgets(req.Budgets, s.listChecks(false), s.teamBudgetSync(t))
	if err != nil {
		return s.writeFailed(err, "", failed)
	}
	t.budgets = budgets
	t.created = time.Now().UTC()
	t.updated = t.created
	s.ownership.teams = append(s.ownership.teams, t)
	return saved(kv{"message", "Team created successfully"}, kv{"team", s.renderTeam(t, embedFull, 0)})
}

func (s *Server) getTeam(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.findTeam(id)
	if t == nil {
		return s.errReply(http.StatusNotFound, msgTeamNotFound)
	}
	return jsonReply(goMap(kv{"team", s.renderTeam(t, embedFull, 0)}))
}

// listTeams is GET /api/governance/teams, filtered by ?customer_id= on
// either path.
func (s *Server) listTeams(c *call) reply {
	q := c.r.URL.Query()
	p := lenientPage(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := slices.DeleteFunc(slices.Clone(s.ownership.teams), func(t *team) bool {
		return (q.Get("customer_id") != "" && t.customerID != q.Get("customer_id")) || (p.paged && !p.matches(t.name))
	})
	return listReply("teams", rows, p, func(t *team) any { return s.renderTeam(t, embedFull, s.vkCount(t.id, "")) }, false)
}

// vkCount is the virtual_key_count of a team or customer, which only lists
// compute (guess: single reads leave the correlated subquery out, as every
// recorded single read shows 0).
func (s *Server) vkCount(teamID, customerID string) int {
	n := 0
	for _, vk := range s.ownership.vks {
		if (teamID != "" && vk.teamID == teamID) || (customerID != "" && vk.customerID == customerID) {
			n++
		}
	}
	return n
}

// updateTeam applies a partial update. customer_id is read but never takes
// effect (measured on v1.5.1: the store re-links the loaded customer).
// guess: v2 the same (governance.md §7 did not measure v2 ownership).
func (s *Server) updateTeam(c *call, id string) reply {
	var req teamReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.findTeam(id)
	if old == nil {
		return s.errReply(http.StatusNotFound, msgTeamNotFound)
	}
	const failed = "Failed to update team"
	if rp, locked := s.lockFailed("", failed); locked {
		return rp
	}
	t := *old
	t.limits = old.clone()
	if err := s.changeTeam(&t, req); err != nil {
		return s.writeFailed(err, "", failed)
	}
	t.updated = time.Now().UTC()
	*old = t
	return saved(kv{"message", "Team updated successfully"}, kv{"team", s.renderTeam(old, embedFull, 0)})
}

func (s *Server) changeTeam(t *team, req teamReq) error {
	if req.Name != nil {
		t.name = *req.Name
	}
	wasAligned := t.calendar
	if s.v2 && req.CalendarAligned != nil {
		t.calendar = *req.CalendarAligned
	}
	if req.Budgets != nil {
		if err := s.checkBudgets(req.Budgets, s.listChecks(false)); err != nil {
			return err
		}
		budgets, err := s.reconcileBudgets(t.budgets, req.Budgets, s.teamBudgetSync(t))
		if err != nil {
			return err
		}
		t.budgets = budgets
	}
	if req.RateLimit != nil {
		rl, err := s.ownership.replaceRateLimit(t.rl, *req.RateLimit)
		if err != nil {
			return err
		}
		t.rl = rl
	}
	if t.calendar && !wasAligned {
		snapToCalendar(t.limits)
	}
	if slices.ContainsFunc(s.ownership.teams, func(o *team) bool { return o.id != t.id && o.name == t.name }) {
		return errDuplicateRow
	}
	return nil
}

func (s *Server) deleteTeam(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.findTeam(id)
	if t == nil {
		return s.errReply(http.StatusNotFound, msgTeamNotFound)
	}
	if rp, locked := s.lockFailed("", "Failed to delete team"); locked {
		return rp
	}
	now := time.Now().UTC()
	for _, vk := range s.ownership.vks {
		if vk.teamID == t.id {
			vk.teamID, vk.updated = "", now
		}
	}
	s.ownership.teams = slices.DeleteFunc(s.ownership.teams, func(o *team) bool { return o == t })
	return saved(kv{"message", "Team deleted successfully"})
}

// renderTeam renders a team; vkCount is its virtual_key_count.
func (s *Server) renderTeam(t *team, e embedding, vkCount int) object {
	o := object{{"id", t.id}, {"name", t.name}}
	if t.customerID != "" {
		o = append(o, kv{"customer_id", t.customerID})
	}
	if t.rl != nil {
		o = append(o, kv{"rate_limit_id", t.rl.id})
	}
	if e == embedFull || e == embedTeamInVK {
		if c := s.findCustomer(t.customerID); c != nil {
			o = append(o, kv{"customer", s.renderCustomer(c, embedRow, 0)})
		}
	}
	if e == embedFull {
		if b := s.renderBudgets(t.budgets); b != nil {
			o = append(o, kv{"budgets", b})
		}
		o = s.appendRateLimit(o, t.rl)
	}
	o = append(o, kv{"virtual_key_count", vkCount}, kv{"profile", nil}, kv{"config", nil}, kv{"claims", nil})
	if s.v2 {
		o = append(o, kv{"calendar_aligned", t.calendar})
	}
	return append(o, kv{"config_hash", ""}, kv{"created_at", t.created}, kv{"updated_at", t.updated})
}

func (s *Server) createCustomer(c *call) reply {
	var req customerReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	cu := &customer{id: uuid.NewString()}
	if req.Name != nil {
		cu.name = *req.Name
	}
	if cu.name == "" {
		return s.errReply(http.StatusBadRequest, "Customer name is required")
	}
	budgets, rp, ok := s.customerCreateBudgets(req)
	if !ok {
		return rp
	}
	if req.RateLimit != nil {
		if err := validateRateLimit(*req.RateLimit); err != nil {
			return s.errReply(http.StatusBadRequest, "Invalid rate limit: "+err.Error())
		}
	}
	cu.calendar = s.v2 && req.CalendarAligned != nil && *req.CalendarAligned
	s.mu.Lock()
	defer s.mu.Unlock()
	const failed = "failed to create customer"
	if rp, locked := s.lockFailed("", failed); locked {
		return rp
	}
	if s.v2 && slices.ContainsFunc(s.ownership.customers, func(o *customer) bool { return o.name == cu.name }) {
		return s.errReply(http.StatusConflict, "A customer with this name already exists")
	}
	var checks budgetChecks // v1.5: checked by the handler already
	if s.v2 {
		checks = s.listChecks(false)
	}
	var err error
	if cu.budgets, err = s.createBudgets(budgets, checks, s.customerBudgetSync(cu)); err != nil {
		return s.writeFailed(err, "", failed)
	}
	if req.RateLimit != nil {
		cu.rl, _ = s.ownership.newRateLimit(*req.RateLimit, false)
	}
	cu.created = time.Now().UTC()
	cu.updated = cu.created
	s.ownership.customers = append(s.ownership.customers, cu)
	return saved(kv{"message", "Customer created successfully"}, kv{"customer", s.renderCustomer(cu, embedFull, 0)})
}

// customerCreateBudgets is the budgets list a customer create asks for:
// v1.5 takes one budget, checked by the handler; v2 takes budgets, or the
// deprecated budget as a list of one, but not both.
func (s *Server) customerCreateBudgets(req customerReq) ([]budgetReq, reply, bool) {
	if s.v2 && req.Budget != nil && req.Budgets != nil {
		return nil, s.errReply(http.StatusBadRequest, "only one of 'budget' or 'budgets' may be set"), false
	}
	if s.v2 && req.Budgets != nil {
		return req.Budgets, reply{}, true
	}
	if req.Budget == nil {
		return nil, reply{}, true
	}
	b := req.Budget.asBudget()
	if !s.v2 {
		if err := s.checkBudgets([]budgetReq{b}, singleBudgetChecks); err != nil {
			return nil, s.errReply(http.StatusBadRequest, err.Error()), false
		}
	}
	return []budgetReq{b}, reply{}, true
}

func (s *Server) getCustomer(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu := s.findCustomer(id)
	if cu == nil {
		return s.errReply(http.StatusNotFound, msgCustomerNotFound)
	}
	return jsonReply(goMap(kv{"customer", s.renderCustomer(cu, embedFull, 0)}))
}

func (s *Server) listCustomers(c *call) reply {
	p := lenientPage(c.r.URL.Query())
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.ownership.customers
	if p.paged {
		rows = slices.DeleteFunc(slices.Clone(rows), func(cu *customer) bool { return !p.matches(cu.name) })
	}
	return listReply("customers", rows, p, func(cu *customer) any { return s.renderCustomer(cu, embedFull, s.vkCount("", cu.id)) }, false)
}

// updateCustomer applies a partial update: v1.5 answers every failure with
// the same 500.
func (s *Server) updateCustomer(c *call, id string) reply {
	var req customerReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	if s.v2 && req.Budget != nil && req.Budgets != nil {
		return s.errReply(http.StatusBadRequest, "only one of 'budget' or 'budgets' may be set")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.findCustomer(id)
	if old == nil {
		return s.errReply(http.StatusNotFound, msgCustomerNotFound)
	}
	const failed = "Failed to update customer"
	if rp, locked := s.lockFailed("", failed); locked {
		return rp
	}
	cu := *old
	cu.limits = old.clone()
	if err := s.changeCustomer(&cu, req); err != nil {
		// guess: v2 answers its budget list checks with 400, like teams.
		return s.writeFailed(err, "", failed)
	}
	cu.updated = time.Now().UTC()
	*old = cu
	return saved(kv{"message", "Customer updated successfully"}, kv{"customer", s.renderCustomer(old, embedFull, 0)})
}

func (s *Server) changeCustomer(cu *customer, req customerReq) error {
	if req.Name != nil {
		cu.name = *req.Name
	}
	wasAligned := cu.calendar
	if s.v2 && req.CalendarAligned != nil {
		cu.calendar = *req.CalendarAligned
	}
	want := req.Budgets
	switch {
	case !s.v2 && req.Budget != nil:
		budgets, err := s.patchBudget(cu.budgets, req.Budget, true)
		if err != nil {
			return err
		}
		cu.budgets = budgets
	case s.v2 && req.Budget != nil:
		want = legacyBudgets(req.Budget, cu.budgets)
	}
	if s.v2 && want != nil {
		if err := s.checkBudgets(want, s.listChecks(false)); err != nil {
			return err
		}
		budgets, err := s.reconcileBudgets(cu.budgets, want, s.customerBudgetSync(cu))
		if err != nil {
			return err
		}
		cu.budgets = budgets
	}
	if req.RateLimit != nil {
		rl, err := s.ownership.replaceRateLimit(cu.rl, *req.RateLimit)
		if err != nil {
			return err
		}
		cu.rl = rl
	}
	if cu.calendar && !wasAligned {
		snapToCalendar(cu.limits)
	}
	return nil
}

// deleteCustomer detaches the customer's teams and virtual keys and drops
// its limits.
func (s *Server) deleteCustomer(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu := s.findCustomer(id)
	if cu == nil {
		return s.errReply(http.StatusNotFound, msgCustomerNotFound)
	}
	if rp, locked := s.lockFailed("", "Failed to delete customer"); locked {
		return rp
	}
	now := time.Now().UTC()
	for _, t := range s.ownership.teams {
		if t.customerID == cu.id {
			t.customerID, t.updated = "", now
		}
	}
	for _, vk := range s.ownership.vks {
		if vk.customerID == cu.id {
			vk.customerID, vk.updated = "", now
		}
	}
	s.ownership.customers = slices.DeleteFunc(s.ownership.customers, func(o *customer) bool { return o == cu })
	return saved(kv{"message", "Customer deleted successfully"})
}

// renderCustomer renders a customer; vkCount is its v2 virtual_key_count.
// A customer embedded in a virtual key lists its rows without its limits
// (guess: no recording embeds a customer that has limits).
func (s *Server) renderCustomer(cu *customer, e embedding, vkCount int) object {
	o := object{{"id", cu.id}, {"name", cu.name}}
	if !s.v2 && len(cu.budgets) > 0 {
		o = append(o, kv{"budget_id", cu.budgets[0].id})
	}
	if cu.rl != nil {
		o = append(o, kv{"rate_limit_id", cu.rl.id})
	}
	if e == embedFull {
		switch {
		case s.v2 && len(cu.budgets) > 0:
			o = append(o, kv{"budgets", s.renderBudgets(cu.budgets)})
		case len(cu.budgets) > 0:
			o = append(o, kv{"budget", s.renderBudget(cu.budgets[0])})
		}
		o = s.appendRateLimit(o, cu.rl)
	}
	if e == embedRow {
		o = append(o, kv{"teams", nil}, kv{"virtual_keys", nil})
	} else {
		teams, vks := []any{}, []any{}
		for _, t := range s.ownership.teams {
			if t.customerID == cu.id {
				teams = append(teams, s.renderTeam(t, embedRow, 0))
			}
		}
		for _, vk := range s.ownership.vks {
			if vk.customerID == cu.id {
				vks = append(vks, s.renderVK(vk, false))
			}
		}
		o = append(o, kv{"teams", teams}, kv{"virtual_keys", vks})
	}
	if s.v2 {
		o = append(o, kv{"virtual_key_count", vkCount}, kv{"calendar_aligned", cu.calendar})
	}
	return append(o, kv{"config_hash", ""}, kv{"created_at", cu.created}, kv{"updated_at", cu.updated})
}
