// Chapter 4, "Distributing certificates and keys" and "Setting up local kubeconfig": the guide's
// deployauth.sh — each control node gets the CA, the API server's and service accounts' keys, the
// control plane's kubeconfigs, the encryption config and its own kubelet's files; each worker the
// CA's certificate and its own files; the gateway (Linux edition) the CA's certificate — then
// setuplocalkubeconfig.sh for the host.
//   scp FILE… ubuntu@VM:~          kubenet copies over its own ssh (the VM's key and known_hosts,
//                                  its address, or root-free the port forwarded to it), and only
//                                  what differs there: one ssh compares digests first, so a rerun
//                                  copies nothing
// The VMs must be running (kubenet run 30-cluster); one that does not answer is reported within
// seconds and the others still get their files. Making the files needs no VM: tasks 40–43.
// The host's kubeconfig is images/auth/admin.kubeconfig; `kubenet run local-kubeconfig --yes` adds
// the guide's entries to ~/.kube/config as setuplocalkubeconfig.sh does (a backup kept beside it).
import {
  apiServerUrl,
  authDir,
  clusterName,
  deliveries,
  deliveryOrder,
  task,
  topology,
  type ClusterVm,
  type Step,
} from 'kubenet';

export default task({
  name: '44-deploy-auth',
  title: "The certificates, kubeconfigs and encryption key on the VMs, and admin's kubeconfig on the host",
  deps: ['42-kubeconfigs', '43-encryption-key'],
  main: 'distribute', // local-kubeconfig changes your ~/.kube/config: only when asked for
  steps: [
    {
      step: 35,
      name: 'distribute',
      title: 'Distributing certificates and keys',
      summary: "each VM's share of images/auth/ in its home folder, copied over ssh only where it differs",
      vms: ({ settings }) => deliveryOrder(topology(settings.cluster)),
      async make({ copyToVm, hostOs, machine: vm, note, dryRun }) {
        const files = deliveries(vm, hostOs);
        if (files.length === 0) return; // the macOS edition's gateway gets nothing
        const { copied, modeSet } = await copyToVm(vm, authDir, files);
        if (dryRun) return;
        note(
          copied.length || modeSet.length
            ? `${vm.name}: copied ${copied.join(', ') || 'nothing'}` +
                (modeSet.length ? `; set the mode of ${modeSet.join(', ')}` : '') +
                ` (${files.length - copied.length - modeSet.length} of ${files.length} already there)`
            : `${vm.name}: all ${files.length} files already there`,
        );
      },
    } satisfies Step<ClusterVm>,
    {
      step: 36,
      name: 'local-kubeconfig',
      title: 'Setting up local kubeconfig',
      summary:
        "admin's cluster, user and context in ~/.kube/config, with " +
        'your consent (--yes), a backup kept; else export KUBECONFIG',
      async make({ $, mergeKubeconfig, note, paths, dryRun }) {
        const admin = `${paths.auth}/admin.kubeconfig`;
        const { result, path, backup } = await mergeKubeconfig(
          {
            dir: authDir,
            from: ['ca.pem', 'admin.pem', 'admin-key.pem'],
            entries: { cluster: clusterName, user: 'admin', context: clusterName },
          },
          [
            $`kubectl config set-cluster ${clusterName} --certificate-authority=ca.pem
              --embed-certs=true --server=${apiServerUrl}`,
            $`kubectl config set-credentials admin --client-certificate=admin.pem
              --client-key=admin-key.pem --embed-certs=true`,
            $`kubectl config set-context ${clusterName} --cluster=${clusterName} --user=admin`,
            $`kubectl config use-context ${clusterName}`,
          ],
        );
        if (dryRun) return;
        if (result === 'declined')
          note(
            `${path} is left as it is; use the cluster with export KUBECONFIG=${admin}, ` +
              `or run kubenet run local-kubeconfig --yes to add the guide's entries to it`,
          );
        if (result === 'same')
          note(`${path} already has the cluster ${clusterName}, the user admin and the context ${clusterName}`);
        if (result === 'merged')
          note(
            `${path}: added the cluster ${clusterName}, the user admin and the context ` +
              `${clusterName} (now the current one)${backup ? `; the old file is ${backup}` : ''}`,
          );
      },
    },
  ],
});
