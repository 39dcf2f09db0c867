package armo_builtins

import data.vigil.wlconfig

deny contains msga if {
	some sa in input
	sa.kind == "ServiceAccount"
	sa.metadata.name == "default"
	msga := wlconfig.sa_automount_alert(sa, 5)
}

# Judged with every object at once: a pod that leaves
# automountServiceAccountToken unset inherits the default account's setting.
deny contains msga if {
	some obj in input
	obj.kind in wlconfig.workload_kinds
	msga := wlconfig.default_sa_alert(obj, 5)
}
