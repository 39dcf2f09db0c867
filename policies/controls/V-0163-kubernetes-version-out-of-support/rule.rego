package armo_builtins

import data.vigil.alert

# Major and minor of "v1.33.13", "v1.30.4-eks-a737599", "1.35".
minor_of(v) := [to_number(m[1]), to_number(m[2])] if {
	m := regex.find_all_string_submatch_n(`^v?(\d+)\.(\d+)`, v, 1)[0]
}

deny contains msga if {
	some info in input
	info.kind == "ClusterInfo"
	version := info.status.serverVersion
	oldest := data.postureControlInputs.oldestSupportedKubernetesVersion[0]
	have := minor_of(version)
	want := minor_of(oldest)
	have < want
	msga := alert.make(
		info,
		sprintf("the API server runs Kubernetes %s, older than %s, the oldest release that still gets security patches", [version, oldest]),
		6,
		["status.serverVersion"],
		[],
	)
}
