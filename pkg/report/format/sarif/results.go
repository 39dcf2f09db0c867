package sarif

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/vigilsec/vigil/pkg/engine"
	"github.com/vigilsec/vigil/pkg/object"
	"github.com/vigilsec/vigil/pkg/report"
)

type result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             message           `json:"message"`
	Locations           []location        `json:"locations"`
	RelatedLocations    []location        `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []fix             `json:"fixes,omitempty"`
	Suppressions        []suppression     `json:"suppressions,omitempty"`
	Properties          resultProperty    `json:"properties"`
}

type location struct {
	// ID and Message are set on related locations only.
	ID               int               `json:"id,omitempty"`
	Message          *message          `json:"message,omitempty"`
	PhysicalLocation *physicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []logicalLocation `json:"logicalLocations,omitempty"`
}

type physicalLocation struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Region           *region          `json:"region,omitempty"`
}

type artifactLocation struct {
	URI string `json:"uri"`
}

type region struct {
	StartLine   int              `json:"startLine"`
	StartColumn int              `json:"startColumn,omitempty"`
	EndColumn   int              `json:"endColumn,omitempty"`
	Snippet     *artifactContent `json:"snippet,omitempty"`
}

type artifactContent struct {
	Text string `json:"text"`
}

type logicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type suppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

type resultProperty struct {
	ResourceID     string           `json:"resourceID"`
	FailedPaths    []string         `json:"failedPaths,omitempty"`
	ReviewPaths    []string         `json:"reviewPaths,omitempty"`
	DeletePaths    []string         `json:"deletePaths,omitempty"`
	FixPaths       []engine.FixPath `json:"fixPaths,omitempty"`
	FixCommand     string           `json:"fixCommand,omitempty"`
	RelatedObjects []relatedObject  `json:"relatedObjects,omitempty"`
	// SuggestedFixes describe, in words, fixes that cannot be expressed as
	// a SARIF fix (a field to add, a value to choose, a path to delete).
	SuggestedFixes []string `json:"suggestedFixes,omitempty"`
}

type relatedObject struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// resultBuilder turns failed (and excepted) object × control alerts into
// results. It reads each source file once, for snippets and fixes.
type resultBuilder struct {
	sources *report.Sources
	index   map[string]int
}

func newResultBuilder(sources *report.Sources, index map[string]int) *resultBuilder {
	return &resultBuilder{sources: sources, index: index}
}

// results lists one result per alert of every failed object × control, in
// report order (objects as read, controls by ID). Excepted failures are
// results too, suppressed, so they stay visible as the report contract
// wants.
func (rb *resultBuilder) results(r *report.Report) []result {
	out := []result{}
	for _, res := range r.Resources {
		for _, cr := range res.Results {
			if cr.Status != report.Failed && cr.SubStatus != report.SubExceptions {
				continue
			}
			for _, ro := range cr.Rules {
				for i := range ro.Alerts {
					out = append(out, rb.result(res.Object, cr, &ro.Alerts[i]))
				}
			}
		}
	}
	return out
}

func (rb *resultBuilder) result(o *object.Object, cr *report.Result, a *engine.Alert) result {
	c := cr.Control
	res := result{
		RuleID:           c.ID,
		RuleIndex:        rb.index[c.ID],
		Level:            level(c.Severity),
		Message:          message{Text: resultMessage(o, c, a)},
		Locations:        []location{rb.location(o, a)},
		RelatedLocations: rb.relatedLocations(o, a),
		PartialFingerprints: map[string]string{
			fingerprintKey: fingerprint(c.ID, o.ResourceID(), report.PrimaryPath(a)),
		},
		Properties: resultProperty{
			ResourceID:     o.ResourceID(),
			FailedPaths:    a.FailedPaths,
			ReviewPaths:    a.ReviewPaths,
			DeletePaths:    a.DeletePaths,
			FixPaths:       a.FixPaths,
			FixCommand:     a.FixCommand,
			RelatedObjects: related(a),
		},
	}
	if f, ok := rb.fix(o, a); ok {
		res.Fixes = []fix{f}
	} else {
		res.Properties.SuggestedFixes = describeFixes(a)
	}
	if ex := cr.Exception; ex != nil {
		res.Suppressions = []suppression{{Kind: "external", Status: "accepted", Justification: justification(ex)}}
	}
	return res
}

// resultMessage is the rule's message and the object it is about.
func resultMessage(o *object.Object, c *report.ControlSummary, a *engine.Alert) string {
	msg := strings.TrimSpace(a.Message)
	if msg == "" {
		msg = c.Name + " failed"
	}
	return msg + " (" + objectName(o.ID) + ")"
}

// objectName is "Kind namespace/name", or "Kind name" when cluster-scoped.
func objectName(id object.Identity) string {
	if id.Namespace == "" {
		return id.Kind + " " + id.Name
	}
	return id.Kind + " " + id.Namespace + "/" + id.Name
}

// location places a result at its primary path, or at the object. Objects
// without a file (stdin, cluster) have only a logical location.
func (rb *resultBuilder) location(o *object.Object, a *engine.Alert) location {
	loc := location{LogicalLocations: []logicalLocation{logical(o.ID)}}
	if place, ok := report.AlertPlace(o, a); ok {
		loc.PhysicalLocation = rb.physical(place)
	}
	return loc
}

// relatedLocations place the other objects a finding involves (the role
// of a subject's binding, the service of a workload) at their first path,
// or where they start.
func (rb *resultBuilder) relatedLocations(o *object.Object, a *engine.Alert) []location {
	primary, _ := report.AlertPlace(o, a)
	var out []location
	for i, rel := range a.Related {
		place, ok := rb.relatedPlace(o, a, i)
		if !ok || place.Object == primary.Object {
			continue
		}
		out = append(out, location{
			ID:               len(out) + 1,
			Message:          &message{Text: objectName(rel.ID)},
			PhysicalLocation: rb.physical(place),
			LogicalLocations: []logicalLocation{logical(rel.ID)},
		})
	}
	return out
}

// relatedPlace locates the i-th related object of an alert: at its own
// first path, at the alert's first path into it, or where it starts.
func (rb *resultBuilder) relatedPlace(o *object.Object, a *engine.Alert, i int) (report.Place, bool) {
	target, _, ok := report.PathTarget(o, a, fmt.Sprintf("relatedObjects[%d]", i))
	if !ok {
		return report.Place{}, false
	}
	rel := engine.Alert{
		FailedPaths: a.Related[i].FailedPaths, ReviewPaths: a.Related[i].ReviewPaths,
		DeletePaths: a.Related[i].DeletePaths, FixPaths: a.Related[i].FixPaths,
	}
	if p := report.PrimaryPath(&rel); p != "" {
		if loc, ok := report.Locate(target, nil, p); ok {
			return report.Place{Location: loc, Object: target, Path: p}, true
		}
	}
	if p := report.RelatedPath(a, i); p != "" {
		if loc, ok := report.Locate(o, a, p); ok {
			_, rest, _ := report.PathTarget(o, a, p)
			return report.Place{Location: loc, Object: target, Path: rest}, true
		}
	}
	loc, ok := report.ObjectLocation(target)
	return report.Place{Location: loc, Object: target}, ok
}

// physical renders a place as a physical location, with the source line
// as a snippet when it may be quoted.
func (rb *resultBuilder) physical(place report.Place) *physicalLocation {
	reg := &region{StartLine: place.Line, StartColumn: place.Column}
	if line, ok := rb.sources.Line(place.File, place.Line); ok && report.SnippetAllowed(place.Object.ID.Kind, place.Path, line) {
		if text, ok := fromColumn(line, place.Column); ok && text != "" {
			reg.Snippet = &artifactContent{Text: text}
			reg.EndColumn = place.Column + utf8.RuneCountInString(text)
		}
	}
	return &physicalLocation{ArtifactLocation: artifactLocation{URI: artifactURI(place.File)}, Region: reg}
}

// fromColumn is the rest of a line from a 1-based column (in code points),
// without trailing space: the text of a region that runs to the line end.
func fromColumn(line string, col int) (string, bool) {
	rs := []rune(line)
	if col < 1 || col > len(rs) {
		return "", false
	}
	return strings.TrimRight(string(rs[col-1:]), " \t"), true
}

func logical(id object.Identity) logicalLocation {
	fqn := id.Kind + "/" + id.Name
	if id.Namespace != "" {
		fqn = id.Namespace + "/" + fqn
	}
	return logicalLocation{Name: id.Name, FullyQualifiedName: fqn, Kind: "resource"}
}

// artifactURI renders a source path as a URI: relative paths stay
// relative (code scanning resolves them against the repository), with
// forward slashes; absolute paths become file:// URIs.
func artifactURI(p string) string {
	slashed := filepath.ToSlash(p)
	if filepath.IsAbs(p) {
		if !strings.HasPrefix(slashed, "/") {
			slashed = "/" + slashed // a Windows drive path
		}
		return (&url.URL{Scheme: "file", Path: slashed}).String()
	}
	return (&url.URL{Path: path.Clean(slashed)}).String()
}

// fingerprint identifies a finding across runs: the control, the object
// and the path, hashed so it has a fixed size.
func fingerprint(controlID, resourceID, path string) string {
	sum := sha256.Sum256([]byte(controlID + "\x00" + resourceID + "\x00" + path))
	return hex.EncodeToString(sum[:16])
}

func related(a *engine.Alert) []relatedObject {
	var out []relatedObject
	for _, r := range a.Related {
		out = append(out, relatedObject{APIVersion: r.ID.APIVersion, Kind: r.ID.Kind, Namespace: r.ID.Namespace, Name: r.ID.Name})
	}
	return out
}

// justification says which exception covers a finding, and why.
func justification(ex *report.ExceptionInfo) string {
	text := "excepted"
	if ex.Name != "" {
		text += " by " + ex.Name
	}
	if ex.Reason != "" {
		text += ": " + ex.Reason
	}
	if ex.Source != "" {
		text += " (" + ex.Source + ")"
	}
	return text
}
