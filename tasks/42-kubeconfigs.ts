// Chapter 4, "Generating kubeconfigs": one kubeconfig per client of the API server — admin, the
// scheduler, the controller manager, kube-proxy and each node's kubelet — with the guide's four
// `kubectl config` commands (genkubeconfig in genauth.sh), the CA's certificate and the client's
// certificate and key embedded, in images/auth/. Made again only when one of those three changed.
import {
  apiServerUrl,
  authDir,
  clusterName,
  kubeconfigs,
  task,
  topology,
  type Kubeconfig,
  type TaskContext,
} from 'kubenet';

// genkubeconfig CERT USER
function genkubeconfig({ $, generate }: TaskContext, { cert, user }: Kubeconfig) {
  const kubeconfig = `${cert}.kubeconfig`;
  return generate(
    {
      dir: authDir,
      from: ['ca.pem', `${cert}.pem`, `${cert}-key.pem`],
      makes: [kubeconfig],
      secret: [kubeconfig],
      what: kubeconfig,
    },
    [
      $`kubectl config set-cluster ${clusterName} --certificate-authority=ca.pem --embed-certs=true
        --server=${apiServerUrl} --kubeconfig=${kubeconfig}`,
      $`kubectl config set-credentials ${user} --client-certificate=${cert}.pem --client-key=${cert}-key.pem
        --embed-certs=true --kubeconfig=${kubeconfig}`,
      $`kubectl config set-context default --cluster=${clusterName} --user=${user} --kubeconfig=${kubeconfig}`,
      $`kubectl config use-context default --kubeconfig=${kubeconfig}`,
    ],
  );
}

export default task({
  name: '42-kubeconfigs',
  title: 'A kubeconfig for every client of the API server, certificates embedded',
  deps: ['41-certificates'],
  steps: [
    {
      step: 33,
      name: 'generate-kubeconfigs',
      title: 'Generating kubeconfigs',
      summary: 'admin, kube-scheduler, kube-controller-manager, kube-proxy and each node: NAME.kubeconfig',
      async make(ctx) {
        const all = kubeconfigs(topology(ctx.settings.cluster));
        const made: string[] = [];
        for (const k of all) if ((await genkubeconfig(ctx, k)) !== 'kept') made.push(`${k.cert}.kubeconfig`);
        if (ctx.dryRun) return;
        ctx.note(
          made.length
            ? `made ${made.join(', ')}${made.length < all.length ? `; ${all.length - made.length} up to date` : ''}`
            : `all ${all.length} are up to date`,
        );
        ctx.note(
          `admin's kubeconfig, for kubectl here: export KUBECONFIG=${ctx.paths.auth}/admin.kubeconfig ` +
            `(kubenet run local-kubeconfig --yes adds it to ~/.kube/config instead)`,
        );
      },
    },
  ],
});
