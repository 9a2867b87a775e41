// The guide's certificate signing requests and CA configuration (chapter 4, "Generating
// certificates with cfssl"), as the text of the files it has you create in auth/: the same
// names, fields and layout, so a learner's diff against the guide is empty. Only what names the
// cluster — the API server's SAN list, each node's name and address — comes from the topology.
import type { ClusterVm, Topology } from '../settings/topology.js';

// The subject every request of the guide carries; only O differs (the RBAC group).
const names = (o: string) => `  "names": [
    {
      "C": "PL",
      "L": "Krakow",
      "O": "${o}",
      "OU": "kubenet",
      "ST": "Lesser Poland"
    }
  ]`;

const key = `  "key": {
    "algo": "rsa",
    "size": 2048
  }`;

const hostsList = (hosts: readonly string[]) => `  "hosts": [\n${hosts.map((h) => `    "${h}"`).join(',\n')}\n  ]`;

// A request without hosts: the CA's and the client identities' (admin, kube-scheduler, …).
export const subjectCsr = (cn: string, o: string): string => `{\n  "CN": "${cn}",\n${key},\n${names(o)}\n}\n`;

const withHosts = (cn: string, o: string, hosts: readonly string[]) =>
  `{\n  "CN": "${cn}",\n${key},\n${names(o)},\n${hostsList(hosts)}\n}\n`;

export const caCsr = (): string => subjectCsr('Kubernetes', 'Kubernetes');

// Ten years for every certificate, and the one profile the guide signs with.
export const caConfig = (): string => `{
  "signing": {
    "default": {
      "expiry": "87600h"
    },
    "profiles": {
      "kubernetes": {
        "usages": ["signing", "key encipherment", "server auth", "client auth"],
        "expiry": "87600h"
      }
    }
  }
}
`;

// Every name and address the API server is reached by: the in-cluster service names and IP, the
// load-balanced name and virtual IP, each control node by name, full name and address, localhost.
export function apiServerHosts(topo: Topology): string[] {
  const vip = topo.extraHosts.find((h) => h.name === 'kubernetes')!.ip;
  return [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster',
    'kubernetes.default.svc.cluster.local',
    '10.32.0.1',
    `kubernetes.${topo.domain}`,
    vip,
    ...topo.vms.filter((vm) => vm.type === 'control').flatMap((vm) => [vm.name, `${vm.name}.${topo.domain}`, vm.ip]),
    '127.0.0.1',
  ];
}

export const kubernetesCsr = (topo: Topology): string => withHosts('kubernetes', 'Kubernetes', apiServerHosts(topo));

// A node's kubelet: the user system:node:<name> in the group system:nodes (the node authorizer).
export const nodeHosts = (vm: ClusterVm, domain: string): string[] => [vm.name, `${vm.name}.${domain}`, vm.ip];
export const nodeCsr = (vm: ClusterVm, domain: string): string =>
  withHosts(`system:node:${vm.name}`, 'system:nodes', nodeHosts(vm, domain));
