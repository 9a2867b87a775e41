// Chapter 4, "Generating certificates with cfssl" from the Kubernetes API's certificate to the
// service accounts': one request file per certificate (written once, then yours to edit), each
// signed by the CA with the guide's command, in images/auth/:
//   cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=kubernetes NAME-csr.json | cfssljson
// -bare NAME
// A certificate is made again only when its request, the CA or the CA configuration changed —
// the names and addresses in the requests come from the cluster's topology (kubenet.yaml
// cluster:), so a new topology remakes exactly the certificates that name it.
// "Scripting up" is the guide's genauth.sh: all of them in its order (but never a new CA).
import {
  authDir,
  certificates,
  scriptOrder,
  task,
  topology,
  type Certificate,
  type Generated,
  type TaskContext,
} from 'kubenet';

// One certificate: its request, then cfssl signs it.
async function gencert({ $, writeFile, generate }: TaskContext, cert: Certificate): Promise<Generated> {
  await writeFile(`${authDir}/${cert.name}-csr.json`, cert.csr(), { template: true });
  return generate(
    {
      dir: authDir,
      from: ['ca.pem', 'ca-key.pem', 'ca-config.json', `${cert.name}-csr.json`],
      makes: [`${cert.name}.pem`, `${cert.name}-key.pem`, `${cert.name}.csr`],
      secret: [`${cert.name}-key.pem`],
      what: `${cert.name}.pem`,
    },
    $`cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json
      -profile=kubernetes ${cert.name}-csr.json`.pipe($`cfssljson -bare ${cert.name}`),
  );
}

// The certificates of a step, each made or kept, and one line saying which.
async function gencerts(ctx: TaskContext, certs: readonly Certificate[]): Promise<void> {
  const made: string[] = [];
  for (const cert of certs) if ((await gencert(ctx, cert)) !== 'kept') made.push(cert.name);
  if (ctx.dryRun) return;
  const kept = certs.length - made.length;
  ctx.note(
    made.length
      ? `made ${made.map((n) => `${n}.pem`).join(', ')}${kept ? `; ${kept} up to date` : ''}`
      : `${certs.length === 1 ? `${certs[0]!.name}.pem is` : `all ${certs.length} are`} up to date`,
  );
}

const step = (
  number: number,
  name: string,
  title: string,
  summary: string,
  pick: (c: ReturnType<typeof certificates>) => Certificate[],
) => ({
  step: number,
  name,
  title,
  summary,
  make: (ctx: TaskContext) => gencerts(ctx, pick(certificates(topology(ctx.settings.cluster)))),
});

export default task({
  name: '41-certificates',
  title:
    "The cluster's certificates: the API server's, admin's, each node's, the control plane's and the service accounts'",
  deps: ['40-certificate-authority'],
  steps: [
    step(
      25,
      'kubernetes-cert',
      'The main Kubernetes API certificate',
      "kubernetes.pem: every name and address the API server is reached by (the control nodes', the virtual IP's)",
      (c) => [c.kubernetes],
    ),
    step(
      26,
      'admin-cert',
      'The admin user certificate',
      'admin.pem: the user admin in system:masters (all permissions)',
      (c) => [c.admin],
    ),
    step(
      27,
      'node-certs',
      'Worker node certificates',
      'one per control and worker node: system:node:<name> in system:nodes, with its name and address',
      (c) => c.nodes,
    ),
    step(
      28,
      'kube-scheduler-cert',
      'The kube-scheduler certificate',
      'kube-scheduler.pem: system:kube-scheduler',
      (c) => [c.kubeScheduler],
    ),
    step(
      29,
      'kube-controller-manager-cert',
      'The kube-controller-manager certificate',
      'kube-controller-manager.pem: system:kube-controller-manager',
      (c) => [c.kubeControllerManager],
    ),
    step(
      30,
      'kube-proxy-cert',
      'The kube-proxy certificate',
      'kube-proxy.pem: system:kube-proxy in system:node-proxier',
      (c) => [c.kubeProxy],
    ),
    step(
      31,
      'service-account-cert',
      'The service account token signing certificate',
      'service-account.pem: signs and verifies service account tokens',
      (c) => [c.serviceAccount],
    ),
    {
      step: 32,
      name: 'scripting-up',
      title: 'Scripting up',
      summary: "genauth.sh: every certificate in the script's order (the CA is kept: never made twice)",
      make: (ctx) => gencerts(ctx, scriptOrder(topology(ctx.settings.cluster))),
    },
  ],
});
