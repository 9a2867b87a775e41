// Chapter 4's tools, option by option: cfssl and cfssljson (the certificates), kubectl config (the
// kubeconfigs), scp (the copies to the VMs). Keys are "exe word"; positional words use the role
// they play (CSR, NAME, FILE, TARGET).
import type { OptionNote } from './option-note.js';

export const authNotes: Record<string, OptionNote> = {
  'cfssl gencert': {
    what: 'make a private key and a certificate from a certificate signing request (JSON)',
    why: "cfssl is the guide's certificate tool; it answers in JSON, which cfssljson turns into files",
  },
  'cfssl -initca': {
    what: 'make a self-signed certificate authority instead of a certificate signed by one',
    why: 'the root CA of the cluster: every component trusts what it signs',
  },
  'cfssl -ca': {
    what: (v) => `sign with the CA whose certificate is ${v}`,
    why: 'every certificate of the cluster comes from the one CA, so all of them trust each other',
  },
  'cfssl -ca-key': {
    what: (v) => `the CA's private key, ${v}`,
    why: "signing needs the CA's key (0600: kubenet never prints it)",
  },
  'cfssl -config': {
    what: (v) => `the signing settings in ${v}: expiry and key usages, per profile`,
    why: "the guide's ca-config.json: 10 years, signing, key encipherment, server and client auth",
  },
  'cfssl -profile': {
    what: (v) => `sign with the profile "${v}" of the configuration`,
    why: 'one profile serves every certificate: each is both a server and a client certificate',
  },
  'cfssl CSR': {
    what: (v) =>
      `the request ${v}: the subject (CN = the user, O = the group) ` +
      `and, for a server, the names and addresses (SANs) it answers to`,
    why:
      'the API server maps CN and O to a Kubernetes user and group; kubenet ' +
      "writes the file once from the cluster's topology, then it is yours to edit",
  },
  'cfssljson -bare': {
    what: (v) => `write cfssl's JSON answer as ${v}.pem (certificate), ${v}-key.pem (private key) and ${v}.csr`,
    why:
      'plain PEM files are what kubectl and the Kubernetes components read; ' +
      'kubenet has them written in a private folder and puts each in place whole',
  },
  'kubectl config': {
    what: 'edit a kubeconfig file',
    why: "a kubeconfig wraps what a client needs: the server, the CA to trust it by, the client's certificate and key",
  },
  'kubectl config set-cluster': {
    what: 'add or change a cluster entry: where the API server is and which CA it is trusted by',
    why: "every client of the cluster talks to https://kubernetes:6443, checking it against the cluster's CA",
  },
  'kubectl config set-credentials': {
    what: 'add or change a user entry: the client certificate and key it logs in with',
    why: "the API server takes the certificate's CN as the user and O as the group",
  },
  'kubectl config set-context': {
    what: 'add or change a context: a cluster with a user',
    why: 'a context is what kubectl and the components pick: this cluster, as this user',
  },
  'kubectl config use-context': {
    what: 'make a context the current one',
    why: "the file's user needs no --context flag",
  },
  'kubectl set-cluster NAME': {
    what: (v) => `the cluster's name in the file, ${v}`,
    why: 'the guide names the cluster kubenet',
  },
  'kubectl set-credentials NAME': {
    what: (v) => `the user's name in the file, ${v}`,
    why: 'the identity the certificate carries (admin, system:node:…): named so in the file to read it at a glance',
  },
  'kubectl set-context NAME': {
    what: (v) => `the context's name, ${v}`,
    why: 'one context per kubeconfig (default), or kubenet beside your other clusters in ~/.kube/config',
  },
  'kubectl use-context NAME': { what: (v) => `the context to use, ${v}`, why: 'the one the commands above set' },
  'kubectl --certificate-authority': {
    what: (v) => `trust the API server by the CA certificate ${v}`,
    why: "the cluster's own CA, not the system's",
  },
  'kubectl --embed-certs': {
    what: (v) =>
      v === 'true' ? "put the certificates' content into the kubeconfig" : 'refer to the certificate files by path',
    why: 'the kubeconfig then works alone, wherever it is copied (a VM gets only the kubeconfig)',
  },
  'kubectl --server': {
    what: (v) => `the API server's URL, ${v}`,
    why: "kubernetes resolves to the load-balanced virtual IP, port 6443: kube-apiserver's TLS port",
  },
  'kubectl --kubeconfig': {
    what: (v) => `edit ${v} instead of ~/.kube/config`,
    why: 'one kubeconfig per client: the file it is given on its VM',
  },
  'kubectl --client-certificate': {
    what: (v) => `the client certificate, ${v}`,
    why: 'who the client is: its CN and O',
  },
  'kubectl --client-key': {
    what: (v) => `the client's private key, ${v}`,
    why: "proves the certificate is the client's own (the kubeconfig is 0600 for it)",
  },
  'kubectl --cluster': { what: (v) => `the context's cluster, ${v}`, why: 'the one set-cluster made' },
  'kubectl --user': { what: (v) => `the context's user, ${v}`, why: 'the one set-credentials made' },
  'scp FILE': {
    what: (v) => `copy ${v}`,
    why: 'each VM gets the files its components need (deployauth.sh); kubenet copies only those that differ there',
  },
  'scp TARGET': {
    what: (v) => `to ${v}: user ubuntu, the VM's home folder`,
    why:
      "the guide copies by the VM's name; kubenet logs in at its address with " +
      'the key its seed authorised and its own known_hosts, as kubenet ssh does',
  },
};
