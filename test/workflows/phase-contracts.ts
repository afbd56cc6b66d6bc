import { COMMON_INPUTS, COMMON_OUTPUTS } from '../../src/phases/phase.js';
import { phaseCatalog } from '../../src/phases/registry.js';

/**
 * Inputs and outputs of every phase action the workflows use. A phase in the catalog speaks for itself;
 * a phase another branch is still building is checked against the contract in the helpers' briefing
 * until it lands (then the catalog entry takes over, with its real required flags).
 */
interface ActionShape {
  inputs: Record<string, { required: boolean }>;
  outputs: string[];
  source: 'catalog' | 'contract';
}

const optional = (...names: string[]) => Object.fromEntries(names.map((n) => [n, { required: false }]));
const BACKEND = ['working-directory', 'state-bucket', 'state-key', 'lock-table', 'terraform-vars'];

const CONTRACTS: Record<string, { inputs: Record<string, { required: boolean }>; outputs: string[] }> = {
  'restore-precheck': {
    inputs: { 'backup-uri': { required: true }, ...optional('max-backup-age-hours') },
    outputs: ['backup-id', 'backup-uri', 'backup-created-utc', 'backup-age-hours', 'integrity'],
  },
  bringup: { inputs: optional(...BACKEND), outputs: ['instance-id', 'plan-sha256', 'terraform-outputs'] },
  'resolve-runner': {
    inputs: optional('runner-name', 'agent-timeout-seconds'),
    outputs: ['instance-id', 'agent-status'],
  },
  restore: {
    inputs: {
      'instance-id': { required: true },
      'backup-uri': { required: true },
      ...optional('restore-path', 'namespace', 'control-plane-uri', 'timeout-seconds'),
    },
    outputs: ['files-restored', 'manifests-applied', 'control-plane-applied', 'cronjobs', 'report'],
  },
  validate: {
    inputs: {
      'instance-id': { required: true },
      ...optional(
        'namespace',
        'cronjobs',
        'run-job',
        'job-cronjob',
        'image-ref',
        'allow-image-tag',
        'job-timeout-seconds',
      ),
    },
    outputs: ['result', 'job-run-id', 'report'],
  },
  teardown: { inputs: optional(...BACKEND, 'verify'), outputs: ['destroyed', 'leftovers'] },
};

export function actionShape(phase: string): ActionShape | undefined {
  const common = Object.fromEntries(
    Object.entries(COMMON_INPUTS).map(([n, s]) => [n, { required: Boolean(s.required) }]),
  );
  const commonOutputs = Object.keys(COMMON_OUTPUTS);
  const defined = phaseCatalog.find((p) => p.name === phase);
  if (defined) {
    const inputs = Object.fromEntries(
      Object.entries(defined.inputs).map(([n, s]) => [n, { required: Boolean(s.required) }]),
    );
    return {
      inputs: { ...inputs, ...common },
      outputs: [...Object.keys(defined.outputs), ...commonOutputs],
      source: 'catalog',
    };
  }
  const contract = CONTRACTS[phase];
  if (!contract) return undefined;
  return {
    inputs: { ...contract.inputs, ...common },
    outputs: [...contract.outputs, ...commonOutputs],
    source: 'contract',
  };
}
