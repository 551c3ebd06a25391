package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Budgets and rate limits are never created on their own: every governance
// owner (virtual key, provider config, team, customer, model config, provider
// governance) creates, changes and deletes its own through its writes.

// budget is a spending limit. Its owner fields are the ones the version's
// server writes on the row, so they render as they are.
type budget struct {
	seq              int // creation order, the order GET /api/governance/budgets lists them in
	id               string
	maxLimit         float64
	resetDuration    string
	lastReset        time.Time
	usage            float64
	calendar         bool // v1.5 budget-level calendar_aligned; only team budgets set it
	owner            budgetOwner
	created, updated time.Time
}

// budgetOwner names the owner a budget row points at: v1.5 writes team_id,
// virtual_key_id or provider_config_id (customers, model configs and
// providers reference their budget by budget_id instead); v2 writes team_id,
// customer_id or model_config_id (virtual keys keep theirs in VK-scoped model
// configs, governance-exchanges-v2.jsonl).
type budgetOwner struct {
	team, vk    string
	pc          uint
	modelConfig string
	customer    string
}

// rateLimit is a token and/or request limit.
type rateLimit struct {
	seq                  int
	id                   string
	tokenMax, reqMax     *int64
	tokenDur, reqDur     *string
	tokenUsage, reqUsage int64
	tokenReset, reqReset time.Time
	created, updated     time.Time
}

// limits are the budgets and the rate limit an owner holds. v1.5 customers,
// model configs and providers hold at most one budget.
type limits struct {
	budgets []*budget
	rl      *rateLimit
}

func (l limits) empty() bool { return len(l.budgets) == 0 && l.rl == nil }

// clone deep-copies l, so that a failed write can be dropped.
func (l limits) clone() limits {
	out := limits{}
	for _, b := range l.budgets {
		c := *b
		out.budgets = append(out.budgets, &c)
	}
	if l.rl != nil {
		c := *l.rl
		out.rl = &c
	}
	return out
}

// budgetReq is a budget as create and list-valued update requests carry it.
type budgetReq struct {
	ID              string  `json:"id"` // v2: keeps a renamed budget's usage
	MaxLimit        float64 `json:"max_limit"`
	ResetDuration   string  `json:"reset_duration"`
	CalendarAligned bool    `json:"calendar_aligned"` // v1.5; honoured on team budgets only
}

// budgetPatch is the single budget of a v1.5 update (customer, model config,
// provider governance): {} removes it, fields left out keep their value.
type budgetPatch struct {
	MaxLimit      *float64 `json:"max_limit"`
	ResetDuration *string  `json:"reset_duration"`
}

func (p *budgetPatch) removal() bool { return p.MaxLimit == nil && p.ResetDuration == nil }

// asBudget is the budget a create's singular budget asks for.
func (p *budgetPatch) asBudget() budgetReq {
	var b budgetReq
	if p.MaxLimit != nil {
		b.MaxLimit = *p.MaxLimit
	}
	if p.ResetDuration != nil {
		b.ResetDuration = *p.ResetDuration
	}
	return b
}

// singleBudgetChecks are the v1.5 customer and model config create handlers'
// checks of their budget.
var singleBudgetChecks = budgetChecks{negative: "Budget max_limit cannot be negative: %.2f", duration: "Invalid reset duration format: %s"}

// rateLimitReq is a rate limit in any request.
type rateLimitReq struct {
	TokenMaxLimit        *int64  `json:"token_max_limit"`
	TokenResetDuration   *string `json:"token_reset_duration"`
	RequestMaxLimit      *int64  `json:"request_max_limit"`
	RequestResetDuration *string `json:"request_reset_duration"`
}

// badRequest marks an error the handlers answer with 400 (their
// badRequestError); every other error of a write is a 500.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func badf(format string, args ...any) error { return &badRequest{fmt.Sprintf(format, args...)} }

func isBadRequest(err error) bool {
	var b *badRequest
	return errors.As(err, &b)
}

// parseResetDuration is Bifrost's ParseDuration: Go durations, plus d, w, M
// (30 days) and Y (365 days) whose number part is parsed as hours.
func parseResetDuration(d string) (time.Duration, error) {
	if d == "" {
		return 0, errors.New("duration is empty")
	}
	hours := map[byte]float64{'d': 24, 'w': 24 * 7, 'M': 24 * 30, 'Y': 24 * 365}[d[len(d)-1]]
	if hours == 0 {
		return time.ParseDuration(d)
	}
	v, err := time.ParseDuration(d[:len(d)-1] + "h")
	if err != nil {
		return 0, fmt.Errorf("invalid duration: %s", d)
	}
	return time.Duration(float64(v) * hours), nil
}

// calendarStart is the start of the UTC calendar period of a d/w/M/Y
// duration containing t (Monday for weeks); other durations keep t.
func calendarStart(d string, t time.Time) time.Time {
	t = t.UTC()
	if d == "" {
		return t
	}
	switch d[len(d)-1] {
	case 'd':
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case 'w':
		monday := t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
		return time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, time.UTC)
	case 'M':
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case 'Y':
		return time.Date(t.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// firstReset is a new budget's last_reset.
func firstReset(aligned bool, d string) time.Time {
	if aligned {
		return calendarStart(d, time.Now())
	}
	return time.Now().UTC()
}

// validateBudget is the store-side check every budget write runs; handlers
// answer its errors with 500.
func validateBudget(maxLimit float64, d string) error {
	if maxLimit <= 0 {
		return fmt.Errorf("budget max limit cannot be negative or zero: %.2f", maxLimit)
	}
	if d == "" {
		return errors.New("budget reset duration is required")
	}
	if _, err := parseResetDuration(d); err != nil {
		return fmt.Errorf("invalid budget reset duration format: %s", d)
	}
	return nil
}

func validateRateLimit(r rateLimitReq) error {
	for _, half := range []struct {
		name string
		max  *int64
		dur  *string
	}{{"token", r.TokenMaxLimit, r.TokenResetDuration}, {"request", r.RequestMaxLimit, r.RequestResetDuration}} {
		if half.max == nil {
			continue
		}
		if *half.max <= 0 {
			return fmt.Errorf("rate limit %s max limit cannot be negative or zero: %d", half.name, *half.max)
		}
		if half.dur == nil {
			return fmt.Errorf("rate limit %s reset duration is required", half.name)
		}
		if _, err := parseResetDuration(*half.dur); err != nil {
			return fmt.Errorf("invalid rate limit %s reset duration format: %s", half.name, *half.dur)
		}
	}
	return nil
}

// budgetChecks are the message formats of a handler's checks of a budgets
// list; "" skips that check.
type budgetChecks struct{ negative, duration, duplicate string }

// listChecks are the checks of budgets lists inside the write transactions
// (VK updates, teams, v2 customers and model configs); capitalised is the
// VK create handler's variant.
func (s *Server) listChecks(capitalised bool) budgetChecks {
	c := budgetChecks{"budget max_limit cannot be negative: %.2f", "invalid reset duration format: %s", "duplicate reset_duration in budgets: %s"}
	if s.v2 {
		c.duration = "invalid reset duration (must be a positive duration): %s"
	}
	if capitalised {
		for _, f := range []*string{&c.negative, &c.duration, &c.duplicate} {
			*f = strings.ToUpper((*f)[:1]) + (*f)[1:]
		}
	}
	return c
}

// checkBudgets runs c over list: max_limit not negative, a parseable (v2:
// positive) reset_duration, each duration once.
func (s *Server) checkBudgets(list []budgetReq, c budgetChecks) error {
	seen := map[string]bool{}
	for _, b := range list {
		if c.negative != "" && b.MaxLimit < 0 {
			return badf(c.negative, b.MaxLimit)
		}
		if c.duration != "" {
			if d, err := parseResetDuration(b.ResetDuration); err != nil || (s.v2 && d <= 0) {
				return badf(c.duration, b.ResetDuration)
			}
		}
		if c.duplicate != "" && seen[b.ResetDuration] {
			return badf(c.duplicate, b.ResetDuration)
		}
		seen[b.ResetDuration] = true
	}
	return nil
}

func (o *ownershipStore) next() int {
	o.seq++
	return o.seq
}

// newBudget builds a budget for owner; aligned snaps its first reset to the
// calendar period.
func (o *ownershipStore) newBudget(r budgetReq, owner budgetOwner, aligned bool) (*budget, error) {
	if err := validateBudget(r.MaxLimit, r.ResetDuration); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	return &budget{
		seq: o.next(), id: uuid.NewString(), maxLimit: r.MaxLimit, resetDuration: r.ResetDuration,
		lastReset: firstReset(aligned, r.ResetDuration), owner: owner, created: now, updated: now,
	}, nil
}

// budgetSync is how an owner's budgets are written: the owner recorded on
// them, and their calendar alignment: aligned snaps new budgets' first reset
// (the VK, v2 team or customer flag); perBudget takes each entry's own
// calendar_aligned instead (v1.5 teams), where a false→true switch on
// update zeroes the usage and snaps last_reset.
type budgetSync struct {
	owner     budgetOwner
	aligned   bool
	perBudget bool
}

// addBudget creates the budget r asks for under sync.
func (s *Server) addBudget(r budgetReq, sync budgetSync) (*budget, error) {
	own := sync.perBudget && r.CalendarAligned
	b, err := s.ownership.newBudget(r, sync.owner, sync.aligned || own)
	if err != nil {
		return nil, err
	}
	b.calendar = own
	return b, nil
}

// createBudgets creates the budgets of list in order, running the checks of
// c on each entry just before creating it, as the create handlers do.
func (s *Server) createBudgets(list []budgetReq, c budgetChecks, sync budgetSync) ([]*budget, error) {
	var out []*budget
	for i := range list {
		if err := s.checkBudgets(list[:i+1], c); err != nil {
			return nil, err
		}
		b, err := s.addBudget(list[i], sync)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// reconcileBudgets turns cur into want: an entry matches an existing budget
// by id (v2) or else by reset_duration, which keeps its id, usage and last
// reset and takes the new max_limit; other entries are created; budgets
// left unmatched are dropped.
func (s *Server) reconcileBudgets(cur []*budget, want []budgetReq, sync budgetSync) ([]*budget, error) {
	byID, byDur := map[string]*budget{}, map[string]*budget{}
	claimed := map[string]bool{}
	for _, r := range want {
		if s.v2 && r.ID != "" {
			claimed[r.ID] = true
		}
	}
	for _, b := range cur {
		byID[b.id] = b
		if !claimed[b.id] {
			byDur[b.resetDuration] = b
		}
	}
	var out []*budget
	for _, r := range want {
		var b *budget
		if s.v2 && r.ID != "" {
			if b = byID[r.ID]; b == nil {
				return nil, badf("budget %s does not belong to this entity", r.ID)
			}
		} else {
			b = byDur[r.ResetDuration]
		}
		if b == nil {
			nb, err := s.addBudget(r, sync)
			if err != nil {
				return nil, err
			}
			out = append(out, nb)
			continue
		}
		delete(byID, b.id)
		delete(byDur, b.resetDuration)
		if err := validateBudget(r.MaxLimit, r.ResetDuration); err != nil {
			return nil, err
		}
		b.maxLimit, b.resetDuration, b.updated = r.MaxLimit, r.ResetDuration, time.Now().UTC()
		if sync.perBudget {
			if r.CalendarAligned && !b.calendar {
				b.usage, b.lastReset = 0, calendarStart(b.resetDuration, time.Now())
			}
			b.calendar = r.CalendarAligned
		}
		out = append(out, b)
	}
	return out, nil
}

// snapToCalendar restarts the current period of every budget and rate-limit
// half with a calendar duration (d, w, M, Y), as turning calendar_aligned on
// does (v2).
func snapToCalendar(l limits) {
	now := time.Now()
	alignable := func(d string) bool { return d != "" && strings.Contains("dwMY", d[len(d)-1:]) }
	for _, b := range l.budgets {
		if alignable(b.resetDuration) {
			b.usage, b.lastReset = 0, calendarStart(b.resetDuration, now)
		}
	}
	rl := l.rl
	if rl == nil {
		return
	}
	if rl.tokenDur != nil && alignable(*rl.tokenDur) {
		rl.tokenUsage, rl.tokenReset = 0, calendarStart(*rl.tokenDur, now)
	}
	if rl.reqDur != nil && alignable(*rl.reqDur) {
		rl.reqUsage, rl.reqReset = 0, calendarStart(*rl.reqDur, now)
	}
}

// patchBudget applies a v1.5 single-budget update: {} removes the budget, an
// existing one takes the fields sent, a new one needs both fields. precheck
// adds the handler's checks of a new budget (customers and model configs;
// provider governance has none).
func (s *Server) patchBudget(cur []*budget, p *budgetPatch, precheck bool) ([]*budget, error) {
	if p.removal() {
		return nil, nil
	}
	if len(cur) > 0 {
		b := cur[0]
		maxLimit, d := b.maxLimit, b.resetDuration
		if p.MaxLimit != nil {
			maxLimit = *p.MaxLimit
		}
		if p.ResetDuration != nil {
			d = *p.ResetDuration
		}
		if err := validateBudget(maxLimit, d); err != nil {
			return nil, err
		}
		b.maxLimit, b.resetDuration, b.updated = maxLimit, d, time.Now().UTC()
		return cur, nil
	}
	if p.MaxLimit == nil || p.ResetDuration == nil {
		return nil, errors.New("both max_limit and reset_duration are required when creating a new budget")
	}
	if precheck {
		if *p.MaxLimit < 0 {
			return nil, fmt.Errorf("budget max_limit cannot be negative: %.2f", *p.MaxLimit)
		}
		if _, err := parseResetDuration(*p.ResetDuration); err != nil {
			return nil, fmt.Errorf("invalid reset duration format: %s", *p.ResetDuration)
		}
	}
	b, err := s.ownership.newBudget(budgetReq{MaxLimit: *p.MaxLimit, ResetDuration: *p.ResetDuration}, budgetOwner{}, false)
	if err != nil {
		return nil, err
	}
	return []*budget{b}, nil
}

// legacyBudgets turns a v2 request's singular budget into the budgets list
// it stands for (v2 coerceLegacyBudget): {} removes all budgets, otherwise
// the fields sent over the current first budget; nil when that leaves no
// complete budget (nothing changes).
func legacyBudgets(p *budgetPatch, cur []*budget) []budgetReq {
	if p.removal() {
		return []budgetReq{}
	}
	var r budgetReq
	if len(cur) > 0 {
		r = budgetReq{ID: cur[0].id, MaxLimit: cur[0].maxLimit, ResetDuration: cur[0].resetDuration}
	}
	if p.MaxLimit != nil {
		r.MaxLimit = *p.MaxLimit
	}
	if p.ResetDuration != nil {
		r.ResetDuration = *p.ResetDuration
	}
	if r.MaxLimit == 0 || r.ResetDuration == "" {
		return nil
	}
	return []budgetReq{r}
}

// newRateLimit builds a rate limit; validate is false where the handler
// validated it before its transaction.
func (o *ownershipStore) newRateLimit(r rateLimitReq, validate bool) (*rateLimit, error) {
	if validate {
		if err := validateRateLimit(r); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	return &rateLimit{
		seq: o.next(), id: uuid.NewString(),
		tokenMax: r.TokenMaxLimit, tokenDur: r.TokenResetDuration, reqMax: r.RequestMaxLimit, reqDur: r.RequestResetDuration,
		tokenReset: now, reqReset: now, created: now, updated: now,
	}, nil
}

// patchRateLimit is the virtual key (and provider config) update: all four
// fields null removes the rate limit; an existing one takes the non-null
// fields without further checks; a new one is validated.
func (o *ownershipStore) patchRateLimit(cur *rateLimit, r rateLimitReq) (*rateLimit, error) {
	if r == (rateLimitReq{}) {
		return nil, nil
	}
	if cur == nil {
		return o.newRateLimit(r, true)
	}
	if r.TokenMaxLimit != nil {
		cur.tokenMax = r.TokenMaxLimit
	}
	if r.TokenResetDuration != nil {
		cur.tokenDur = r.TokenResetDuration
	}
	if r.RequestMaxLimit != nil {
		cur.reqMax = r.RequestMaxLimit
	}
	if r.RequestResetDuration != nil {
		cur.reqDur = r.RequestResetDuration
	}
	cur.updated = time.Now().UTC()
	return cur, nil
}

// replaceRateLimit is the update of every other owner: both max limits null
// removes the rate limit, otherwise all four fields are replaced (null
// clears) and validated.
func (o *ownershipStore) replaceRateLimit(cur *rateLimit, r rateLimitReq) (*rateLimit, error) {
	if r.TokenMaxLimit == nil && r.RequestMaxLimit == nil {
		return nil, nil
	}
	if err := validateRateLimit(r); err != nil {
		return nil, err
	}
	if cur == nil {
		return o.newRateLimit(r, false)
	}
	cur.tokenMax, cur.tokenDur, cur.reqMax, cur.reqDur = r.TokenMaxLimit, r.TokenResetDuration, r.RequestMaxLimit, r.RequestResetDuration
	cur.updated = time.Now().UTC()
	return cur, nil
}

func (s *Server) renderBudget(b *budget) object {
	o := object{
		{"id", b.id}, {"max_limit", b.maxLimit}, {"reset_duration", b.resetDuration},
		{"last_reset", b.lastReset}, {"current_usage", b.usage},
	}
	if b.owner.team != "" {
		o = append(o, kv{"team_id", b.owner.team})
	}
	if b.owner.vk != "" {
		o = append(o, kv{"virtual_key_id", b.owner.vk})
	}
	if b.owner.pc != 0 {
		o = append(o, kv{"provider_config_id", b.owner.pc})
	}
	if b.owner.modelConfig != "" {
		o = append(o, kv{"model_config_id", b.owner.modelConfig})
	}
	if b.owner.customer != "" {
		o = append(o, kv{"customer_id", b.owner.customer})
	}
	if !s.v2 {
		o = append(o, kv{"calendar_aligned", b.calendar})
	}
	return append(o, kv{"config_hash", ""}, kv{"created_at", b.created}, kv{"updated_at", b.updated})
}

func (s *Server) renderRateLimit(r *rateLimit) object {
	o := object{{"id", r.id}}
	if r.tokenMax != nil {
		o = append(o, kv{"token_max_limit", *r.tokenMax})
	}
	if r.tokenDur != nil {
		o = append(o, kv{"token_reset_duration", *r.tokenDur})
	}
	o = append(o, kv{"token_current_usage", r.tokenUsage}, kv{"token_last_reset", r.tokenReset})
	if r.reqMax != nil {
		o = append(o, kv{"request_max_limit", *r.reqMax})
	}
	if r.reqDur != nil {
		o = append(o, kv{"request_reset_duration", *r.reqDur})
	}
	o = append(o, kv{"request_current_usage", r.reqUsage}, kv{"request_last_reset", r.reqReset})
	if !s.v2 {
		o = append(o, kv{"calendar_aligned", false})
	}
	return append(o, kv{"config_hash", ""}, kv{"created_at", r.created}, kv{"updated_at", r.updated})
}

// renderBudgets renders a budgets list; nil when empty (the omitempty
// "budgets" of every owner).
func (s *Server) renderBudgets(list []*budget) []any {
	var out []any
	for _, b := range list {
		out = append(out, s.renderBudget(b))
	}
	return out
}

// appendRateLimit appends an owner's "rate_limit" relation when it has one.
func (s *Server) appendRateLimit(o object, rl *rateLimit) object {
	if rl != nil {
		o = append(o, kv{"rate_limit", s.renderRateLimit(rl)})
	}
	return o
}

// allLimits lists every owner's limits: customers, teams, virtual keys and
// their provider configs, model configs and v1.5 provider governance.
func (s *Server) allLimits() []limits {
	o := s.ownership
	var all []limits
	for _, c := range o.customers {
		all = append(all, c.limits)
	}
	for _, t := range o.teams {
		all = append(all, t.limits)
	}
	for _, vk := range o.vks {
		all = append(all, vk.limits)
		for _, pc := range vk.pcs {
			all = append(all, pc.limits)
		}
	}
	for _, mc := range o.modelConfigs {
		all = append(all, mc.limits)
	}
	for _, name := range sortedKeys(o.providerGov) {
		all = append(all, o.providerGov[name])
	}
	return all
}

// listBudgets is GET /api/governance/budgets: every budget, oldest first.
func (s *Server) listBudgets(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*budget
	for _, l := range s.allLimits() {
		list = append(list, l.budgets...)
	}
	slices.SortFunc(list, func(a, b *budget) int { return a.seq - b.seq })
	out := []any{}
	for _, b := range list {
		out = append(out, s.renderBudget(b))
	}
	return jsonReply(object{{"budgets", out}, {"count", len(out)}})
}

// listRateLimits is GET /api/governance/rate-limits: every rate limit,
// oldest first.
func (s *Server) listRateLimits(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*rateLimit
	for _, l := range s.allLimits() {
		if l.rl != nil {
			list = append(list, l.rl)
		}
	}
	slices.SortFunc(list, func(a, b *rateLimit) int { return a.seq - b.seq })
	out := []any{}
	for _, r := range list {
		out = append(out, s.renderRateLimit(r))
	}
	return jsonReply(object{{"count", len(out)}, {"rate_limits", out}})
}

// writeFailed answers a write whose transaction failed: 400 for bad
// requests, else 500; prefix ("Failed to update model config: ") is put
// before the error, or fixed replaces it when not empty.
func (s *Server) writeFailed(err error, prefix, fixed string) reply {
	if isBadRequest(err) {
		return s.errReply(http.StatusBadRequest, prefix+err.Error())
	}
	if fixed != "" {
		return s.errReply(http.StatusInternalServerError, fixed)
	}
	return s.errReply(http.StatusInternalServerError, prefix+err.Error())
}

// RecordUsage sets the current usage of the budget id, as traffic through
// the gateway would (the emulator serves no inference), so that tests can
// tell a budget kept across an update (its usage stays) from one recreated
// (its usage restarts at 0). It reports whether the budget exists.
func (s *Server) RecordUsage(budgetID string, usage float64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.allLimits() {
		for _, b := range l.budgets {
			if b.id == budgetID {
				b.usage = usage
				return true
			}
		}
	}
	return false
}
