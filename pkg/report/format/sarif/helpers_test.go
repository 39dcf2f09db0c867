package sarif

import (
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/policy"
	"github.com/vigilsec/vigil/pkg/report"
)

// exceptAll excepts every failure, with a reason.
type exceptAll struct{}

func (exceptAll) Except(*object.Object, *policy.Control, []string) *report.ExceptionInfo {
	return &report.ExceptionInfo{Name: "accepted-risk", Reason: "reviewed by the platform team", Source: "exceptions.json"}
}
