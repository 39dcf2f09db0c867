package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# C-0198, its CIS counterpart, reports the same finding. Both rules take the alert from
# secctx.non_root_alert, which OPA builds once per container for both.
deny contains msga if {
	some c in workload.input_containers
	not c.container.securityContext.runAsNonRoot == true
	msga := secctx.non_root_alert(c)
	msga != null
}
