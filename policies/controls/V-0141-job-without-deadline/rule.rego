package armo_builtins

job_spec_path := {"Job": "spec", "CronJob": "spec.jobTemplate.spec"}

job_spec(obj) := obj.spec if obj.kind == "Job"
else := obj.spec.jobTemplate.spec if obj.kind == "CronJob"

deny contains msga if {
	some obj in input
	spec := job_spec(obj)
	not spec.activeDeadlineSeconds
	not suspended(obj)
	path := concat(".", [job_spec_path[obj.kind], "activeDeadlineSeconds"])
	msga := {
		"alertMessage": sprintf("%s %s sets no activeDeadlineSeconds: a hung run is never stopped", [obj.kind, obj.metadata.name]),
		"alertScore": 2,
		"packagename": "armo_builtins",
		"failedPaths": [path],
		"fixPaths": [{"path": path, "value": "YOUR_DEADLINE_SECONDS"}],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# A suspended CronJob or Job does not run; it is judged when resumed.
suspended(obj) if obj.spec.suspend == true
