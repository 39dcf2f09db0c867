package armo_builtins

import data.vigil.wlconfig

# Only pods meant to keep running are judged: Jobs, CronJobs and pods that
# run to completion are out of scope.
deny contains {"alertObject": {"k8sApiObjects": [obj]}} if {
	some obj in input
	wlconfig.long_running(obj)
}
