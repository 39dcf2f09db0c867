package armo_builtins

import data.vigil.wlconfig

# Judged with every object at once: a pod that leaves
# automountServiceAccountToken unset inherits its ServiceAccount's setting.
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	msga := wlconfig.token_alert(obj, 6)
}

deny contains msga if {
	some sa in input
	msga := wlconfig.sa_automount_alert(sa, 6)
}
