package armo_builtins

import data.vigil.host

deny contains msga if {
	some obj in input
	some msga in host.check(obj, {
		"flag": "tls-cipher-suites",
		"config": ["tlsCipherSuites"],
		"test": "ciphers",
		"problem": "may negotiate weak TLS cipher suites",
		"unless": {"flag": "tls-min-version", "config": ["tlsMinVersion"], "want": ["VersionTLS13"]},
		"comp": "kubelet",
		"score": 5,
	})
}
