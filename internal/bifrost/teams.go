package bifrost

import (
	"context"
	"net/http"
)

// Team is a team as the server returns it. The embedded customer and
// virtual keys are not decoded: use CustomerID. profile, config and claims
// (enterprise SCIM fields, null in OSS) are dropped.
type Team struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	CustomerID  string     `json:"customer_id,omitempty"`
	RateLimitID string     `json:"rate_limit_id,omitempty"`
	RateLimit   *RateLimit `json:"rate_limit,omitempty"`
	// Budgets is absent (nil) when the team has none.
	Budgets         []Budget `json:"budgets,omitempty"`
	VirtualKeyCount int      `json:"virtual_key_count"`
	// CalendarAligned (v2) is the team's flag; v1.5.1 keeps one per budget.
	CalendarAligned bool   `json:"calendar_aligned,omitempty"`
	ConfigHash      string `json:"config_hash,omitempty"`
	CreatedAt       string `json:"created_at,omitempty"`
	UpdatedAt       string `json:"updated_at,omitempty"`
}

// TeamCreate is the body of a team create. Budgets go in the budgets list
// (a singular "budget" is ignored); on v1.5.1 each budget's own
// calendar_aligned is honoured.
type TeamCreate struct {
	Name string `json:"name"`
	// CustomerID: an unknown id fails with the hidden 500 "failed to create
	// team" on v1.5.1.
	CustomerID string            `json:"customer_id,omitempty"`
	Budgets    []BudgetRequest   `json:"budgets,omitempty"`
	RateLimit  *RateLimitRequest `json:"rate_limit,omitempty"`
	// CalendarAligned (v2 only) is the team's flag.
	CalendarAligned *bool `json:"calendar_aligned,omitempty"`
}

// TeamUpdate is the body of a team update: a nil pointer leaves the field
// as it is.
//
//   - CustomerID: "" clears, an id sets. v1.5.1 answers 200 and changes
//     nothing (measured): on v1.5.1 a team's customer can only be chosen at
//     create (replace the team to change it).
//   - Budgets: reconciled by reset_duration (governance.go).
//   - RateLimit: a full replacement (a half left out is dropped);
//     RemoveRateLimit() removes it.
type TeamUpdate struct {
	Name            *string           `json:"name,omitempty"`
	CustomerID      *string           `json:"customer_id,omitempty"`
	Budgets         *[]BudgetRequest  `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest `json:"rate_limit,omitempty"`
	CalendarAligned *bool             `json:"calendar_aligned,omitempty"`
}

type teamEnvelope struct {
	Message string `json:"message"`
	Team    *Team  `json:"team"`
}

type teamList struct {
	Teams      []Team `json:"teams"`
	Count      int    `json:"count"`
	TotalCount int    `json:"total_count"`
}

const teamsCollection = "teams"

var teamsPath = governancePath + "/" + teamsCollection

// ListTeams returns every team, in creation order.
func (c *Client) ListTeams(ctx context.Context) ([]Team, error) {
	var out teamList
	err := c.do(ctx, http.MethodGet, teamsPath, nil, &out)
	return out.Teams, err
}

// GetTeam returns one team; a missing one is a not-found error.
func (c *Client) GetTeam(ctx context.Context, id string) (*Team, error) {
	return c.teamCall(ctx, http.MethodGet, governanceItemPath(teamsCollection, id), nil)
}

// CreateTeam creates a team. Its 500 "failed to create team" hides the
// cause (a locked store, a duplicate name, an unknown customer, a budget of
// 0) and is retried a few times: team names are unique, so a repeated
// create cannot make a second team. After a final such error, look for the
// name (IsHiddenCause) before concluding.
func (c *Client) CreateTeam(ctx context.Context, in TeamCreate) (*Team, error) {
	ctx = withHiddenCause(ctx, msgTeamCreateFailed)
	return c.teamCall(ctx, http.MethodPost, teamsPath, in)
}

// UpdateTeam applies in to the team id (see TeamUpdate) and returns the
// team as stored.
func (c *Client) UpdateTeam(ctx context.Context, id string, in TeamUpdate) (*Team, error) {
	ctx = withHiddenCause(ctx, msgTeamUpdateFailed)
	return c.teamCall(ctx, http.MethodPut, governanceItemPath(teamsCollection, id), in)
}

// DeleteTeam deletes a team with its budgets and rate limit; its virtual
// keys are detached (team_id cleared). A missing team is a not-found error.
func (c *Client) DeleteTeam(ctx context.Context, id string) error {
	ctx = withHiddenCause(ctx, msgTeamDeleteFailed)
	return c.do(ctx, http.MethodDelete, governanceItemPath(teamsCollection, id), nil, nil)
}

func (c *Client) teamCall(ctx context.Context, method, path string, in any) (*Team, error) {
	var out teamEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.Team == nil {
		return nil, envelopeMissing(method, path, "team")
	}
	return out.Team, nil
}
