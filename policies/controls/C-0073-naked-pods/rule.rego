package armo_builtins

deny contains msga if {
	some obj in input
	obj.kind == "Pod"
	count(object.get(obj.metadata, "ownerReferences", [])) == 0
	not standalone(obj)
	msga := {
		"alertMessage": sprintf("Pod/%s is not managed by a controller: nothing recreates it if its node fails or it is evicted", [obj.metadata.name]),
		"alertScore": 3,
		"packagename": "armo_builtins",
		"failedPaths": [],
		"fixPaths": [],
		"alertObject": {"k8sApiObjects": [obj]},
	}
}

# Helm hooks and static pods are standalone by design.
standalone(obj) if obj.metadata.annotations["helm.sh/hook"]

standalone(obj) if obj.metadata.annotations["kubernetes.io/config.mirror"]
