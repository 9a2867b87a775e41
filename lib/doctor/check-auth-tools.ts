// cfssl, cfssljson and kubectl: chapter 4 (tasks 40–44) makes the cluster's certificates and
// kubeconfigs with them; the VM chapters need none of them, so a missing one is a warning.
import { authToolHint } from '../host/install-hint.js';
import { ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

const uses = {
  cfssl: 'makes the certificates',
  cfssljson: "writes cfssl's answers as files",
  kubectl: 'makes the kubeconfigs',
} as const;

export function checkAuthTools(host: HostDescription): CheckResult[] {
  return (['cfssl', 'cfssljson', 'kubectl'] as const).map((tool) => {
    const path = host.tools[tool];
    if (path && tool === 'kubectl' && host.kubectlWorks === false) {
      return warn(
        tool,
        `${path} crashes writing a kubeconfig (kubectl config ` +
          `set-credentials): chapter 4 cannot make its kubeconfigs with it`,
        authToolHint(host.profile.hostOs, tool),
      );
    }
    return path
      ? ok(tool, path)
      : warn(
          tool,
          `${tool} not found on PATH: chapter 4 (kubenet run 41-certificates …) ${uses[tool]} with it`,
          authToolHint(host.profile.hostOs, tool),
        );
  });
}
