import type { TargetKind } from '../targets/target.js';

/**
 * Where the eks runner's kubeconfig is: bringup writes it with `aws eks update-kubeconfig --name <cluster>
 * --kubeconfig <this>`. Named, not ~/.kube/config: SSM Run Command runs the scripts without HOME.
 */
export const EKS_KUBECONFIG = '/var/lib/standby/kubeconfig';

/**
 * How the runner scripts call kubectl on each target kind (STANDBY_KUBECTL; docs/restore.md, "The eks
 * target"): k3s's bundled client on k3s; on eks the plain client, which authenticates through the runner's
 * instance role with that kubeconfig. Each is a valid case of test/fixtures/kubectl-invocation-cases.json,
 * the table the scripts check the value against.
 */
export const KUBECTL_INVOCATION: Record<TargetKind, string> = {
  k3s: 'k3s kubectl',
  eks: `kubectl --kubeconfig=${EKS_KUBECONFIG}`,
};

/**
 * What every runner script is told about its target: the kind and the kubectl invocation, and the
 * execution (on eks, restore pins workloads to the node group labelled and tainted with it).
 */
export function runnerTargetEnv(kind: TargetKind, executionId: string): Record<string, string> {
  return {
    STANDBY_TARGET_KIND: kind,
    STANDBY_KUBECTL: KUBECTL_INVOCATION[kind],
    STANDBY_EXECUTION_ID: executionId,
  };
}
