package host

// Layout names, as reported in data.vigil.layout.
const (
	LayoutKubeadm  = "kubeadm"
	LayoutK3s      = "k3s"
	LayoutRKE2     = "rke2"
	LayoutMicroK8s = "microk8s"
	LayoutUnknown  = "unknown"
)

const microk8sData = "/var/snap/microk8s/current"

// layout holds where a distribution keeps what the collector reads. An
// empty path means the distribution has no such default.
type layout struct {
	name string
	// manifests is the static-pod manifest directory.
	manifests string
	// argsDir holds one args file per component (MicroK8s).
	argsDir string
	// rancherConfig is the config directory of k3s or RKE2, whose
	// <component>-arg keys feed the components.
	rancherConfig string
	// rancherBinary is the k3s or rke2 process name.
	rancherBinary string

	kubeletConfig, kubeletKubeconfig, kubeletClientCA string
	controllerManagerKubeconfig, schedulerKubeconfig  string
	adminConfig, pkiDir, etcdDataDir                  string
	proxyKubeconfig, cniDir                           string
	// serverDir exists on a k3s/RKE2 server (control-plane) node.
	serverDir, agentDir string
}

var layouts = map[string]*layout{
	LayoutKubeadm: {
		name:                        LayoutKubeadm,
		manifests:                   "/etc/kubernetes/manifests",
		kubeletConfig:               "/var/lib/kubelet/config.yaml",
		kubeletKubeconfig:           "/etc/kubernetes/kubelet.conf",
		controllerManagerKubeconfig: "/etc/kubernetes/controller-manager.conf",
		schedulerKubeconfig:         "/etc/kubernetes/scheduler.conf",
		adminConfig:                 "/etc/kubernetes/admin.conf",
		pkiDir:                      "/etc/kubernetes/pki",
		etcdDataDir:                 "/var/lib/etcd",
		cniDir:                      "/etc/cni/net.d",
	},
	LayoutK3s: {
		name:                        LayoutK3s,
		rancherConfig:               "/etc/rancher/k3s",
		rancherBinary:               "k3s",
		kubeletConfig:               "/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf",
		kubeletKubeconfig:           "/var/lib/rancher/k3s/agent/kubelet.kubeconfig",
		kubeletClientCA:             "/var/lib/rancher/k3s/agent/client-ca.crt",
		controllerManagerKubeconfig: "/var/lib/rancher/k3s/server/cred/controller.kubeconfig",
		schedulerKubeconfig:         "/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig",
		adminConfig:                 "/etc/rancher/k3s/k3s.yaml",
		pkiDir:                      "/var/lib/rancher/k3s/server/tls",
		etcdDataDir:                 "/var/lib/rancher/k3s/server/db",
		proxyKubeconfig:             "/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig",
		cniDir:                      "/var/lib/rancher/k3s/agent/etc/cni/net.d",
		serverDir:                   "/var/lib/rancher/k3s/server",
		agentDir:                    "/var/lib/rancher/k3s/agent",
	},
	LayoutRKE2: {
		name:                        LayoutRKE2,
		manifests:                   "/var/lib/rancher/rke2/agent/pod-manifests",
		rancherConfig:               "/etc/rancher/rke2",
		rancherBinary:               "rke2",
		kubeletKubeconfig:           "/var/lib/rancher/rke2/agent/kubelet.kubeconfig",
		kubeletClientCA:             "/var/lib/rancher/rke2/agent/client-ca.crt",
		controllerManagerKubeconfig: "/var/lib/rancher/rke2/server/cred/controller.kubeconfig",
		schedulerKubeconfig:         "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig",
		adminConfig:                 "/etc/rancher/rke2/rke2.yaml",
		pkiDir:                      "/var/lib/rancher/rke2/server/tls",
		etcdDataDir:                 "/var/lib/rancher/rke2/server/db/etcd",
		proxyKubeconfig:             "/var/lib/rancher/rke2/agent/kubeproxy.kubeconfig",
		cniDir:                      "/etc/cni/net.d",
		serverDir:                   "/var/lib/rancher/rke2/server",
		agentDir:                    "/var/lib/rancher/rke2/agent",
	},
	LayoutMicroK8s: {
		name:                        LayoutMicroK8s,
		argsDir:                     microk8sData + "/args",
		kubeletKubeconfig:           microk8sData + "/credentials/kubelet.config",
		kubeletClientCA:             microk8sData + "/certs/ca.crt",
		controllerManagerKubeconfig: microk8sData + "/credentials/controller.config",
		schedulerKubeconfig:         microk8sData + "/credentials/scheduler.config",
		adminConfig:                 microk8sData + "/credentials/client.config",
		pkiDir:                      microk8sData + "/certs",
		etcdDataDir:                 microk8sData + "/var/kubernetes/backend",
		proxyKubeconfig:             microk8sData + "/credentials/proxy.config",
		cniDir:                      microk8sData + "/args/cni-network",
	},
	// Without a recognised layout, only what processes name is read, and
	// the usual upstream locations.
	LayoutUnknown: {
		name:      LayoutUnknown,
		manifests: "/etc/kubernetes/manifests",
		cniDir:    "/etc/cni/net.d",
	},
}

// detectLayout decides the node's layout, first match wins (see
// docs/HOST-OBJECTS.md "Layouts"). Distributions are tried before kubeadm
// because their nodes often also have /etc/kubernetes.
func detectLayout(r *rootFS, procs []process) *layout {
	running := map[string]bool{}
	for _, p := range procs {
		running[p.program()] = true
	}
	switch {
	case running["k3s"] || r.exists("/var/lib/rancher/k3s") || r.exists("/etc/rancher/k3s"):
		return layouts[LayoutK3s]
	case running["rke2"] || r.exists("/var/lib/rancher/rke2") || r.exists("/etc/rancher/rke2"):
		return layouts[LayoutRKE2]
	case r.exists(microk8sData):
		return layouts[LayoutMicroK8s]
	case r.exists("/etc/kubernetes/manifests") || r.exists("/etc/kubernetes/kubelet.conf") || r.exists("/var/lib/kubelet/config.yaml"):
		return layouts[LayoutKubeadm]
	}
	return layouts[LayoutUnknown]
}

// DetectLayout reports the layout of the node under root.
func DetectLayout(root string) (string, error) {
	r, err := newRootFS(root)
	if err != nil {
		return "", err
	}
	return detectLayout(r, r.processes()).name, nil
}
