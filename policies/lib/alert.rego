# Helpers to build alerts in the rule contract's shape.
package vigil.alert

# make builds an alert about one object. failed are the paths of the
# offending fields, fixes the {path, value} settings that fix them.
make(obj, msg, score, failed, fixes) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": failed,
	"fixPaths": fixes,
	"alertObject": {"k8sApiObjects": [obj]},
}

# review builds an alert whose paths need a human decision rather than a
# mechanical fix.
review(obj, msg, score, paths) := {
	"alertMessage": msg,
	"alertScore": score,
	"packagename": "armo_builtins",
	"failedPaths": [],
	"reviewPaths": paths,
	"fixPaths": [],
	"alertObject": {"k8sApiObjects": [obj]},
}

# name renders "Kind/name" for messages.
name(obj) := concat("/", [obj.kind, obj.metadata.name])
