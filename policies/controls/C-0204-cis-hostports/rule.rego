package armo_builtins

import data.vigil.secctx
import data.vigil.workload

# C-0044 reports the same finding. Both rules take the alert from
# secctx.host_port_alert, which OPA builds once per container for both.
deny contains msga if {
	some c in workload.input_containers
	c.container.ports
	msga := secctx.host_port_alert(c)
	msga != null
}
