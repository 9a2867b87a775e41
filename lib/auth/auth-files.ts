// What chapter 4 makes and where it goes, from the topology: each certificate with its request
// and identity, each kubeconfig with the user it names, and each VM's share of the files
// (deployauth.sh). Lists keep the guide's order, so commands print in the order it runs them.
import type { ClusterVm, Topology } from '../settings/topology.js';
import type { HostOs } from '../host/types.js';
import { apiServerHosts, kubernetesCsr, nodeCsr, nodeHosts, subjectCsr } from './csr-documents.js';

export const clusterName = 'kubenet'; // the kubeconfigs' cluster (set-cluster kubenet)
export const apiServerUrl = 'https://kubernetes:6443';

export interface Certificate {
  name: string; // the files: NAME-csr.json, NAME.pem, NAME-key.pem, NAME.csr
  cn: string; // the user it authenticates as (Common Name)
  o: string; // the group (Organization)
  hosts: string[]; // the SANs it asks for (none for a client identity)
  csr(): string; // the request's text
  vm?: string; // a node's certificate: its VM
}

const client = (name: string, cn: string, o: string): Certificate => ({
  name,
  cn,
  o,
  hosts: [],
  csr: () => subjectCsr(cn, o),
});

const node = (vm: ClusterVm, domain: string): Certificate => ({
  name: vm.name,
  cn: `system:node:${vm.name}`,
  o: 'system:nodes',
  hosts: nodeHosts(vm, domain),
  csr: () => nodeCsr(vm, domain),
  vm: vm.name,
});

export const nodesOf = (topo: Topology): ClusterVm[] => topo.vms.filter((vm) => vm.type !== 'gateway');

// The certificates the chapter's sections make, by section (the CA apart: it signs them).
export function certificates(topo: Topology) {
  return {
    kubernetes: {
      name: 'kubernetes',
      cn: 'kubernetes',
      o: 'Kubernetes',
      hosts: apiServerHosts(topo),
      csr: () => kubernetesCsr(topo),
    } as Certificate,
    admin: client('admin', 'admin', 'system:masters'),
    nodes: nodesOf(topo).map((vm) => node(vm, topo.domain)),
    kubeScheduler: client('kube-scheduler', 'system:kube-scheduler', 'system:kube-scheduler'),
    kubeControllerManager: client(
      'kube-controller-manager',
      'system:kube-controller-manager',
      'system:kube-controller-manager',
    ),
    kubeProxy: client('kube-proxy', 'system:kube-proxy', 'system:node-proxier'),
    serviceAccount: client('service-account', 'service-accounts', 'Kubernetes'),
  };
}

// The CA itself, as `kubenet certs` lists it.
export const caCertificate: Certificate = client('ca', 'Kubernetes', 'Kubernetes');

// control0, worker0, control1, worker1, …: the order of genauth.sh's `for i in $(seq 0 2)` loop.
export function interleaved(topo: Topology): ClusterVm[] {
  const of = (type: string) => topo.vms.filter((vm) => vm.type === type);
  const controls = of('control');
  const workers = of('worker');
  return Array.from({ length: Math.max(controls.length, workers.length) }, (_, i) => [controls[i], workers[i]])
    .flat()
    .filter((vm): vm is ClusterVm => vm !== undefined);
}

// genauth.sh's order: the five fixed certificates and the service account's, then the nodes.
export function scriptOrder(topo: Topology): Certificate[] {
  const c = certificates(topo);
  const byVm = new Map(c.nodes.map((n) => [n.vm, n]));
  return [
    c.kubernetes,
    c.admin,
    c.kubeScheduler,
    c.kubeControllerManager,
    c.kubeProxy,
    c.serviceAccount,
    ...interleaved(topo).map((vm) => byVm.get(vm.name)!),
  ];
}

// Every certificate kubenet makes, the CA first.
export const allCertificates = (topo: Topology): Certificate[] => [caCertificate, ...scriptOrder(topo)];

export interface Kubeconfig {
  cert: string; // NAME.kubeconfig from NAME.pem and NAME-key.pem
  user: string;
}

// genkubeconfig's calls, in the guide's order.
export function kubeconfigs(topo: Topology): Kubeconfig[] {
  return [
    { cert: 'admin', user: 'admin' },
    { cert: 'kube-scheduler', user: 'system:kube-scheduler' },
    { cert: 'kube-controller-manager', user: 'system:kube-controller-manager' },
    { cert: 'kube-proxy', user: 'system:kube-proxy' },
    ...interleaved(topo).map((vm) => ({ cert: vm.name, user: `system:node:${vm.name}` })),
  ];
}

// deployauth.sh: what each VM gets, in its scp's order. The gateway gets the CA's certificate in
// the Linux edition only (the macOS edition's script ends with the workers).
export function deliveries(vm: ClusterVm, hostOs: HostOs): string[] {
  if (vm.type === 'control') {
    return [
      'ca.pem',
      'ca-key.pem',
      'kubernetes-key.pem',
      'kubernetes.pem',
      'service-account-key.pem',
      'service-account.pem',
      'admin.kubeconfig',
      'kube-controller-manager.kubeconfig',
      'kube-scheduler.kubeconfig',
      'encryption-config.yaml',
      `${vm.name}.pem`,
      `${vm.name}-key.pem`,
      `${vm.name}.kubeconfig`,
      'kube-proxy.kubeconfig',
    ];
  }
  if (vm.type === 'worker')
    return ['ca.pem', `${vm.name}.pem`, `${vm.name}-key.pem`, `${vm.name}.kubeconfig`, 'kube-proxy.kubeconfig'];
  return hostOs === 'darwin' ? [] : ['ca.pem'];
}

// deployauth.sh's order: the control nodes, the workers, then the gateway.
export const deliveryOrder = (topo: Topology): ClusterVm[] =>
  ['control', 'worker', 'gateway'].flatMap((type) => topo.vms.filter((vm) => vm.type === type));

// A file that holds a secret (a private key, or a kubeconfig embedding one, or the data
// encryption key): mode 0600 here and on the VMs, never printed.
export const isSecret = (file: string): boolean => /-key\.pem$|\.kubeconfig$|^encryption-config\.yaml$/.test(file);
