# Shared helpers of the Kubescape rule contract (ruleDependencies:
# cautils). Vigil's own implementation.
package cautils

# list_contains is true when x is an element of list.
list_contains(list, x) if {
	list[_] == x
}

# is_subobject is true when every field of sub appears in parent with an
# equal value, recursively (Rego has no recursion; object.subset recurses).
is_subobject(sub, parent) if {
	is_object(sub)
	is_object(parent)
	object.subset(parent, sub)
}

is_subobject(sub, parent) if {
	not is_object(sub)
	sub == parent
}

# object_intersection returns the fields parent and sub share with equal
# values.
object_intersection(parent, sub) := {k: v |
	some k, v in parent
	sub[k] == v
}

# unix_permission decodes an integer file mode into its permission bits.
unix_permission(mode) := {
	"user": {"read": bit(mode, 256), "write": bit(mode, 128), "execute": bit(mode, 64)},
	"group": {"read": bit(mode, 32), "write": bit(mode, 16), "execute": bit(mode, 8)},
	"everyone": {"read": bit(mode, 4), "write": bit(mode, 2), "execute": bit(mode, 1)},
	"setuid": bit(mode, 2048),
	"setgid": bit(mode, 1024),
	"sticky": bit(mode, 512),
}

bit(mode, b) := bits.and(mode, b) != 0

# unix_permissions_allow is true when actual_mode grants nothing that
# allowed_mode does not (permission and special bits alike).
unix_permissions_allow(allowed_mode, actual_mode) if {
	bits.and(bits.and(actual_mode, bits.negate(allowed_mode)), 4095) == 0
} else := false

# A configuration file is strict when it is at most 0600.
is_strict_conf_permission(mode) if unix_permissions_allow(384, mode)

is_not_strict_conf_permission(mode) if not is_strict_conf_permission(mode)

# Ownership {uid, gid, err} is strict when root owns the file and the
# ownership could be read.
is_strict_conf_ownership(ownership) if {
	not ownership.err
	ownership.uid == 0
	ownership.gid == 0
}

is_strict_conf_ownership(ownership) if {
	ownership.err == ""
	ownership.uid == 0
	ownership.gid == 0
}

is_not_strict_conf_ownership(ownership) if not is_strict_conf_ownership(ownership)
