package armo_builtins

import data.vigil.secctx

# C-0201, its CIS counterpart, reports the same finding. Both rules take the alert from
# secctx.drop_all_alert, which OPA builds once per container for both.
deny contains msga if {
	some c in secctx.linux_containers
	not "ALL" in secctx.dropped(c)
	msga := secctx.drop_all_alert(c)
}
