package armo_builtins

import data.vigil.alert
import data.vigil.pss
import data.vigil.workload

# The pod securityContext makes every container a HostProcess container.
deny contains msga if {
	some obj in input
	pss.pod_sc(obj).windowsOptions.hostProcess == true
	path := pss.pod_path(obj, ".securityContext.windowsOptions.hostProcess")
	msga := alert.make(
		obj,
		sprintf("%s sets windowsOptions.hostProcess: true in its pod securityContext: its containers run on the Windows host without isolation", [alert.name(obj)]),
		8,
		[path],
		[{"path": path, "value": "false"}],
	)
}

deny contains msga if {
	some obj in input
	some c in workload.containers(obj)
	pss.container_sc(c).windowsOptions.hostProcess == true
	path := concat("", [c.path, ".securityContext.windowsOptions.hostProcess"])
	msga := alert.make(
		obj,
		sprintf("container %q in %s is a Windows HostProcess container: it runs on the host without isolation", [c.container.name, alert.name(obj)]),
		8,
		[path],
		[{"path": path, "value": "false"}],
	)
}
