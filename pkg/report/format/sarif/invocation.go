package sarif

import (
	"fmt"
	"time"

	"github.com/vigilsec/vigil/pkg/report"
)

type invocation struct {
	// ExecutionSuccessful is false when inputs could not be read: the
	// scan then did not judge everything it was asked to (exit code 2).
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	EndTimeUTC                 string         `json:"endTimeUtc,omitempty"`
	ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
}

type notification struct {
	Level          string        `json:"level"`
	Message        message       `json:"message"`
	Locations      []location    `json:"locations,omitempty"`
	Descriptor     descriptorRef `json:"descriptor"`
	AssociatedRule *ruleRef      `json:"associatedRule,omitempty"`
}

// descriptorRef names the kind of a notification.
type descriptorRef struct {
	ID string `json:"id"`
}

type ruleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// Notification kinds.
const (
	notifyInputError     = "input-error"
	notifyInputNote      = "input-note"
	notifyControlSkipped = "control-not-evaluated"
	notifyWarning        = "scan-warning"
	notifyErrored        = "evaluation-errors"
)

// buildInvocation reports what the results cannot show: inputs that could
// not be read, controls that could not be evaluated, and scan warnings.
func buildInvocation(r *report.Report, index map[string]int) invocation {
	inv := invocation{ExecutionSuccessful: len(r.Inputs.Errors) == 0}
	if !r.GeneratedAt.IsZero() {
		inv.EndTimeUTC = r.GeneratedAt.UTC().Format(time.RFC3339)
	}
	var ns []notification
	for _, e := range r.Inputs.Errors {
		ns = append(ns, notification{
			Level: "error", Message: message{Text: e.Reason},
			Locations: fileLocation(e.Path, e.Line), Descriptor: descriptorRef{ID: notifyInputError},
		})
	}
	for _, n := range r.Inputs.Notes {
		ns = append(ns, notification{
			Level: "note", Message: message{Text: n.Message},
			Locations: fileLocation(n.Path, n.Line), Descriptor: descriptorRef{ID: notifyInputNote},
		})
	}
	for _, c := range r.Controls {
		if c.Status == report.Skipped {
			ns = append(ns, skippedNotification(c, index[c.ID]))
		}
	}
	for _, w := range r.Warnings {
		ns = append(ns, notification{Level: "warning", Message: message{Text: w}, Descriptor: descriptorRef{ID: notifyWarning}})
	}
	if n := r.Coverage.ErroredObjects; n > 0 {
		ns = append(ns, notification{
			Level:      "warning",
			Message:    message{Text: fmt.Sprintf("%d object evaluations failed; those objects were neither passed nor failed", n)},
			Descriptor: descriptorRef{ID: notifyErrored},
		})
	}
	inv.ToolExecutionNotifications = ns
	return inv
}

// skippedNotification is a warning for a control that could not be
// evaluated; a control that needs a manual check by nature is a note.
func skippedNotification(c *report.ControlSummary, index int) notification {
	lvl := "warning"
	if c.SubStatus == report.SubManualReview {
		lvl = "note"
	}
	text := fmt.Sprintf("%s %s was not evaluated", c.ID, c.Name)
	if c.SubStatus != "" {
		text += " (" + c.SubStatus + ")"
	}
	if c.Reason != "" {
		text += ": " + c.Reason
	}
	return notification{
		Level: lvl, Message: message{Text: text},
		Descriptor:     descriptorRef{ID: notifyControlSkipped},
		AssociatedRule: &ruleRef{ID: c.ID, Index: index},
	}
}

// fileLocation locates a notification at a file and line, when known.
func fileLocation(path string, line int) []location {
	if path == "" || path == "-" || path == "<stdin>" {
		return nil
	}
	pl := &physicalLocation{ArtifactLocation: artifactLocation{URI: artifactURI(path)}}
	if line > 0 {
		pl.Region = &region{StartLine: line}
	}
	return []location{{PhysicalLocation: pl}}
}
