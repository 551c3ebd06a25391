package governance

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// CheckBudgetCount refuses, at plan time, more than one of budgets (the
// planned budgets attribute) on a server that holds one budget per object
// (Bifrost < 2.0); noun names the object in messages ("model config"). A
// version that cannot be read is a warning.
func CheckBudgetCount(ctx context.Context, c *bifrost.Client, budgets types.Set, noun string, diags *diag.Diagnostics) {
	if budgets.IsNull() || budgets.IsUnknown() || len(budgets.Elements()) <= 1 {
		return
	}
	v, err := c.ServerVersion(ctx)
	switch {
	case err != nil:
		diags.AddWarning("Cannot tell the Bifrost version",
			"A "+noun+" with several budgets needs Bifrost ≥ 2.0, and the server's version could not be read: "+err.Error())
	case !v.AtLeast(2, 0):
		diags.AddAttributeError(path.Root("budgets"), "Several "+noun+" budgets need Bifrost ≥ 2.0",
			fmt.Sprintf("budgets has %d budgets, but the server at %s runs Bifrost %s, which holds one budget per %s. "+
				"Keep one budget, or upgrade Bifrost to 2.0 or newer.", len(budgets.Elements()), c.Endpoint(), v.Raw, noun))
	}
}
