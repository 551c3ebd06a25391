package bifrost

import (
	"context"
	"net/http"
)

// Customer is a customer as the server returns it: v1.5.1 has one budget
// (Budget, BudgetID), v2 a list (Budgets). The embedded teams and virtual
// keys are not decoded.
type Customer struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	BudgetID    string     `json:"budget_id,omitempty"`
	RateLimitID string     `json:"rate_limit_id,omitempty"`
	Budget      *Budget    `json:"budget,omitempty"`
	Budgets     []Budget   `json:"budgets,omitempty"`
	RateLimit   *RateLimit `json:"rate_limit,omitempty"`
	// CalendarAligned (v2) is the customer's flag.
	CalendarAligned bool   `json:"calendar_aligned,omitempty"`
	ConfigHash      string `json:"config_hash,omitempty"`
	CreatedAt       string `json:"created_at,omitempty"`
	UpdatedAt       string `json:"updated_at,omitempty"`
}

// AllBudgets is the customer's budgets whatever the version: v1.5.1's
// single budget as a list of one, v2's list.
func (cu Customer) AllBudgets() []Budget {
	if len(cu.Budgets) > 0 {
		return cu.Budgets
	}
	if cu.Budget != nil {
		return []Budget{*cu.Budget}
	}
	return nil
}

// CustomerCreate is the body of a customer create. v1.5.1 takes one
// Budget; v2 takes Budgets (and still the deprecated Budget; both → 400).
// Names are not unique.
type CustomerCreate struct {
	Name            string            `json:"name"`
	Budget          *BudgetRequest    `json:"budget,omitempty"`
	Budgets         []BudgetRequest   `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest `json:"rate_limit,omitempty"`
	CalendarAligned *bool             `json:"calendar_aligned,omitempty"`
}

// CustomerUpdate is the body of a customer update: a nil pointer leaves the
// field as it is.
//
//   - Budget (v1.5.1): &BudgetPatch{} removes it; an existing budget is
//     patched per field; a customer without one needs both fields.
//   - Budgets (v2): reconciled by reset_duration (governance.go). Never
//     both Budget and Budgets.
//   - RateLimit: a full replacement; RemoveRateLimit() removes it.
//
// Every failure of a v1.5.1 customer update is the 500 "Failed to update
// customer", validation included: validate before sending.
type CustomerUpdate struct {
	Name            *string           `json:"name,omitempty"`
	Budget          *BudgetPatch      `json:"budget,omitempty"`
	Budgets         *[]BudgetRequest  `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest `json:"rate_limit,omitempty"`
	CalendarAligned *bool             `json:"calendar_aligned,omitempty"`
}

type customerEnvelope struct {
	Message  string    `json:"message"`
	Customer *Customer `json:"customer"`
}

type customerList struct {
	Customers  []Customer `json:"customers"`
	Count      int        `json:"count"`
	TotalCount int        `json:"total_count"`
}

const customersCollection = "customers"

var customersPath = governancePath + "/" + customersCollection

// ListCustomers returns every customer, in creation order.
func (c *Client) ListCustomers(ctx context.Context) ([]Customer, error) {
	var out customerList
	err := c.do(ctx, http.MethodGet, customersPath, nil, &out)
	return out.Customers, err
}

// GetCustomer returns one customer; a missing one is a not-found error.
func (c *Client) GetCustomer(ctx context.Context, id string) (*Customer, error) {
	return c.customerCall(ctx, http.MethodGet, governanceItemPath(customersCollection, id), nil)
}

// CreateCustomer creates a customer. Its 500 "failed to create customer"
// hides the cause (possibly a locked store) and is NOT retried: customer
// names are not unique, so a repeated create could make a second customer.
// Lock answers that say so and 429/503 are retried as for every request.
func (c *Client) CreateCustomer(ctx context.Context, in CustomerCreate) (*Customer, error) {
	return c.customerCall(ctx, http.MethodPost, customersPath, in)
}

// UpdateCustomer applies in to the customer id (see CustomerUpdate) and
// returns the customer as stored.
func (c *Client) UpdateCustomer(ctx context.Context, id string, in CustomerUpdate) (*Customer, error) {
	ctx = withHiddenCause(ctx, msgCustomerUpdateFailed)
	return c.customerCall(ctx, http.MethodPut, governanceItemPath(customersCollection, id), in)
}

// DeleteCustomer deletes a customer with its budget(s) and rate limit; its
// teams and virtual keys are detached. A missing customer is a not-found
// error.
func (c *Client) DeleteCustomer(ctx context.Context, id string) error {
	ctx = withHiddenCause(ctx, msgCustomerDeleteFailed)
	return c.do(ctx, http.MethodDelete, governanceItemPath(customersCollection, id), nil, nil)
}

func (c *Client) customerCall(ctx context.Context, method, path string, in any) (*Customer, error) {
	var out customerEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.Customer == nil {
		return nil, envelopeMissing(method, path, "customer")
	}
	return out.Customer, nil
}
