package routingrule

import (
	"fmt"
	"strings"

	"github.com/google/cel-go/cel"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// celSyntaxError is "" when expr parses as CEL, else where and why it
// does not: "line 1, column 6: Syntax error: ..." followed by cel-go's
// rendering of the expression with a caret under the position.
func celSyntaxError(expr string) string {
	env, err := bifrost.RoutingCELEnv()
	if err != nil {
		return "the CEL environment cannot be built: " + err.Error()
	}
	_, iss := env.Parse(expr)
	if iss == nil || iss.Err() == nil {
		return ""
	}
	return describeIssues(iss)
}

// celCheckError is "" when expr compiles against the routing variables
// (what Bifrost v2 checks on every write), else why it does not.
func celCheckError(expr string) string {
	env, err := bifrost.RoutingCELEnv()
	if err != nil {
		return "the CEL environment cannot be built: " + err.Error()
	}
	ast, iss := env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		return describeIssues(iss)
	}
	if ast.OutputType() != cel.BoolType && ast.OutputType() != cel.DynType {
		return fmt.Sprintf("the expression is of type %s: a routing rule's expression must be a boolean (true: the rule matches)", ast.OutputType())
	}
	return ""
}

func describeIssues(iss *cel.Issues) string {
	var b strings.Builder
	for i, e := range iss.Errors() {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "line %d, column %d: %s", e.Location.Line(), e.Location.Column()+1, e.Message)
	}
	b.WriteString("\n\n")
	b.WriteString(iss.String())
	return b.String()
}
