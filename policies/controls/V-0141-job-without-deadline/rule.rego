package armo_builtins

import data.vigil.alert

job_spec_path := {"Job": "spec", "CronJob": "spec.jobTemplate.spec"}

job_spec(obj) := obj.spec if obj.kind == "Job"

job_spec(obj) := obj.spec.jobTemplate.spec if obj.kind == "CronJob"

deny contains msga if {
	some obj in input
	spec := job_spec(obj)
	not spec.activeDeadlineSeconds
	not suspended(obj)
	path := concat(".", [job_spec_path[obj.kind], "activeDeadlineSeconds"])
	msga := alert.make(
		obj,
		sprintf("%s %s sets no activeDeadlineSeconds: a hung run is never stopped", [obj.kind, obj.metadata.name]),
		2,
		[path],
		[{"path": path, "value": "YOUR_DEADLINE_SECONDS"}],
	)
}

# A suspended CronJob or Job does not run; it is judged when resumed.
suspended(obj) if obj.spec.suspend == true
