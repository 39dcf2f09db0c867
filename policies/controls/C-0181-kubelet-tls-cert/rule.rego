package armo_builtins

import data.vigil.host

specs := [
	{
		"flag": "tls-cert-file",
		"config": ["tlsCertFile"],
		"test": "set",
		"problem": "serves a self-signed certificate",
		"unless": {"flag": "rotate-server-certificates", "config": ["serverTLSBootstrap"], "want": ["true"]},
		"comp": "kubelet",
		"score": 6,
	},
	{
		"flag": "tls-private-key-file",
		"config": ["tlsPrivateKeyFile"],
		"test": "set",
		"problem": "serves a self-signed certificate",
		"unless": {"flag": "rotate-server-certificates", "config": ["serverTLSBootstrap"], "want": ["true"]},
		"comp": "kubelet",
		"score": 6,
	},
]

deny contains msga if {
	some obj in input
	some spec in specs
	some msga in host.check(obj, spec)
}
