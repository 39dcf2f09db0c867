package sarif

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/vigilsec/vigil/pkg/report"
)

type rule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name,omitempty"`
	ShortDescription     message      `json:"shortDescription"`
	FullDescription      *message     `json:"fullDescription,omitempty"`
	Help                 *message     `json:"help,omitempty"`
	HelpURI              string       `json:"helpUri"`
	DefaultConfiguration ruleConfig   `json:"defaultConfiguration"`
	Properties           ruleProperty `json:"properties"`
}

type ruleConfig struct {
	Level string `json:"level"`
}

type ruleProperty struct {
	// SecuritySeverity is the base score as a string: GitHub code scanning
	// reads it to rank security results (and only for rules tagged
	// "security").
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
}

// buildRules makes one rule per control, and the index of each control's
// rule, which results refer to.
func buildRules(controls []*report.ControlSummary) ([]rule, map[string]int) {
	rules := make([]rule, 0, len(controls))
	index := make(map[string]int, len(controls))
	for i, c := range controls {
		index[c.ID] = i
		rules = append(rules, ruleOf(c))
	}
	return rules, index
}

func ruleOf(c *report.ControlSummary) rule {
	ru := rule{
		ID:                   c.ID,
		Name:                 ruleName(c.Name),
		ShortDescription:     message{Text: orDefault(c.Name, c.ID)},
		HelpURI:              controlDocsURI + c.ID + ".md",
		DefaultConfiguration: ruleConfig{Level: level(c.Severity)},
		Properties: ruleProperty{
			SecuritySeverity: strconv.FormatFloat(c.BaseScore, 'f', 1, 64),
			Tags:             tags(c),
			// The rules read declared configuration, so what they report
			// is there; whether it matters is the severity's business.
			Precision: "high",
		},
	}
	if d := strings.TrimSpace(c.Control.Description); d != "" {
		ru.FullDescription = &message{Text: d}
	}
	ru.Help = help(c)
	return ru
}

// ruleName turns a control name into the identifier-like name SARIF
// expects ("Privileged container" → "PrivilegedContainer").
func ruleName(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(w)
		b.WriteRune(unicode.ToUpper(rs[0]))
		b.WriteString(string(rs[1:]))
	}
	return b.String()
}

// level maps a severity to a SARIF level: critical and high are errors,
// medium warnings, low (and unknown) notes.
func level(severity string) string {
	switch strings.ToLower(severity) {
	case "critical", "high":
		return "error"
	case "medium":
		return "warning"
	}
	return "note"
}

// tags are "security" (which GitHub needs to use security-severity), the
// frameworks the control belongs to and its category, sorted.
func tags(c *report.ControlSummary) []string {
	out := []string{"security"}
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, f := range c.Frameworks {
		add(f)
	}
	for _, f := range c.Control.Frameworks {
		add(f)
	}
	if cat := c.Control.Category; cat != nil {
		add(cat.Name)
		if cat.SubCategory != nil {
			add(cat.SubCategory.Name)
		}
	}
	slices.Sort(out)
	return out
}

// help is the remediation and references, as text and Markdown.
func help(c *report.ControlSummary) *message {
	remediation := strings.TrimSpace(c.Control.Remediation)
	refs := c.Control.References
	if remediation == "" && len(refs) == 0 {
		return nil
	}
	var text, md strings.Builder
	if remediation != "" {
		text.WriteString(remediation)
		md.WriteString("**Remediation:** " + remediation)
	}
	if len(refs) > 0 {
		if remediation != "" {
			text.WriteString("\n\n")
			md.WriteString("\n\n")
		}
		text.WriteString("References:")
		md.WriteString("**References:**\n")
		for _, ref := range refs {
			text.WriteString("\n- " + ref)
			md.WriteString("\n- <" + ref + ">")
		}
	}
	return &message{Text: text.String(), Markdown: md.String()}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
