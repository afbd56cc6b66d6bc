import { describe, expect, it } from '@jest/globals';
import { extendedExpiry } from '../../src/aws/runner-expiry.js';
import type { RunnerInstance } from '../../src/aws/runners.js';
import { checkRunnerLimit } from '../../src/phases/bringup/runner-limit.js';
import { checkModuleInputs, missingVariablesMessage } from '../../src/terraform/module-inputs.js';
import {
  digestLockId,
  injectedVariables,
  kindOfExecution,
  lockFileKey,
  lockId,
  rfc3339,
  runnerName,
  stateKeyFor,
} from '../../src/terraform/runner-contract.js';

describe('runnerName (the coordination contract)', () => {
  it.each([
    ['drill-123456789', 'standby-drill-123456789'],
    ['alarm-9876543210', 'standby-alarm-9876543210'],
    ['dr-1', 'standby-dr-1'],
  ])('%s -> %s unchanged', (id, name) => {
    expect(runnerName(id)).toBe(name);
  });

  it('hashes ids it had to change or cut, so two such ids stay apart, always within the module pattern', () => {
    const a = runnerName('Drill.7');
    const b = runnerName('drill_7');
    expect(a).toMatch(/^standby-drill-7-[0-9a-f]{8}$/);
    expect(b).toMatch(/^standby-drill-7-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    const long = runnerName(`drill-${'9'.repeat(60)}`);
    expect(long.length).toBeLessThanOrEqual(40);
    for (const name of [a, b, long]) expect(name).toMatch(/^[a-z][a-z0-9-]{2,38}[a-z0-9]$/);
  });
});

describe('state keys and lock names', () => {
  it('one key per execution; Terraform locks <key>.tflock and <bucket>/<key> (digest <bucket>/<key>-md5)', () => {
    expect(stateKeyFor('standby/runners', 'drill-7')).toBe('standby/runners/drill-7.tfstate');
    expect(stateKeyFor('standby/runners/', 'drill-7')).toBe('standby/runners/drill-7.tfstate');
    expect(lockFileKey('standby/runners/drill-7.tfstate')).toBe('standby/runners/drill-7.tfstate.tflock');
    expect(lockId('b', 'k.tfstate')).toBe('b/k.tfstate');
    expect(digestLockId('b', 'k.tfstate')).toBe('b/k.tfstate-md5');
  });

  it('injects the same values for the same execution, expiry as RFC 3339 UTC seconds', () => {
    const at = new Date('2026-11-28T10:00:00.789Z');
    expect(rfc3339(at)).toBe('2026-11-28T10:00:00Z');
    expect(
      injectedVariables({
        region: 'eu-west-1',
        executionId: 'alarm-5',
        kind: 'dr',
        expiresAt: at,
        githubRunId: '',
        stateKey: 'p/alarm-5.tfstate',
      }),
    ).toEqual({
      region: 'eu-west-1',
      execution_id: 'alarm-5',
      name: 'standby-alarm-5',
      expires_at: '2026-11-28T10:00:00Z',
      kind: 'dr',
      github_run_id: '',
      state_key: 'p/alarm-5.tfstate',
    });
    expect(kindOfExecution('drill-5')).toBe('drill');
    expect(kindOfExecution('alarm-5')).toBe('dr');
  });
});

describe('checkModuleInputs (refusal before terraform plan)', () => {
  const declared = [
    { name: 'region', hasDefault: false, file: 'variables.tf' },
    { name: 'subnet_id', hasDefault: false, file: 'variables.tf' },
    { name: 'backup_bucket', hasDefault: false, file: 'variables.tf' },
    { name: 'instance_type', hasDefault: true, file: 'variables.tf' },
  ];
  const injected = { region: 'eu-west-1', name: 'standby-drill-7' };

  it('names what nobody sets; TF_VAR_ values count as set', () => {
    expect(checkModuleInputs(declared, injected, { subnet_id: 's' }).missing).toEqual(['backup_bucket']);
    expect(
      checkModuleInputs(declared, injected, { subnet_id: 's' }, { TF_VAR_backup_bucket: 'b' }).missing,
    ).toEqual([]);
  });

  it('reports contract variables an older module does not declare, and overrides of injected ones', () => {
    const check = checkModuleInputs(declared, injected, { name: 'other', region: 'eu-west-1' });
    expect(check.undeclaredInjected).toEqual([
      'execution_id',
      'name',
      'expires_at',
      'kind',
      'github_run_id',
      'state_key',
    ]);
    expect(check.conflicts).toEqual([{ name: 'name', given: 'other', injected: 'standby-drill-7' }]);
  });

  it('says where to set them, with example JSON', () => {
    expect(missingVariablesMessage(['backup_bucket', 'subnet_id'], 'terraform/runner')).toBe(
      'terraform/runner needs values for \'backup_bucket\', \'subnet_id\' (no default, not set by bringup). Add them to the STANDBY_TERRAFORM_VARS repository variable (the terraform-vars input, a JSON object), e.g. {"backup_bucket": "acme-backups-dr", "subnet_id": "subnet-0123456789abcdef0"}. Nothing was planned.',
    );
  });
});

describe('extendedExpiry (the dead-man switch is only ever pushed out)', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  it.each([
    ['an earlier expiry', '2026-11-28T10:30:00Z', { expiresAt: '2026-11-28T12:00:00Z', changed: true }],
    ['a later expiry', '2026-12-28T10:00:00Z', { expiresAt: '2026-12-28T10:00:00Z', changed: false }],
    ['no expiry', undefined, { expiresAt: '2026-11-28T12:00:00Z', changed: true }],
    ['a garbled expiry', 'tomorrow', { expiresAt: '2026-11-28T12:00:00Z', changed: true }],
  ])('%s', (_, current, expected) => {
    expect(extendedExpiry(current, now, 2 * 3_600_000)).toEqual(expected);
  });
});

describe('checkRunnerLimit', () => {
  const runner = (id: string, executionId: string, kind = 'drill', target?: string): RunnerInstance => ({
    id,
    state: 'running',
    executionId,
    kind,
    expiresAt: 'x',
    tags: target ? { 'standby-target': target } : ({} as Record<string, string>),
  });
  const request = (executionId: string, kind: 'drill' | 'dr', target = 'default', maxRunners = 2) => ({
    executionId,
    kind,
    target,
    maxRunners,
    region: 'eu-west-1',
  });
  it('counts other executions only, refuses at the limit naming them', () => {
    expect(checkRunnerLimit([runner('i-1', 'drill-7')], request('drill-7', 'drill', 'default', 1)).ok).toBe(
      true,
    );
    const refused = checkRunnerLimit(
      [runner('i-1', 'drill-7'), runner('i-2', 'alarm-8', 'dr')],
      request('drill-9', 'drill'),
    );
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toContain('i-1 (running, execution drill-7, drill, expires x)');
    expect(!refused.ok && refused.message).toContain('of target default');
  });

  it("counts only the execution's own target; a runner without the tag is target default", () => {
    const aAtCap = [runner('i-1', 'drill-a-1', 'drill', 'a'), runner('i-2', 'drill-a-2', 'drill', 'a')];
    expect(checkRunnerLimit(aAtCap, request('alarm-b-3', 'dr', 'b')).ok).toBe(true);
    expect(checkRunnerLimit(aAtCap, request('drill-b-3', 'drill', 'b')).ok).toBe(true);
    expect(checkRunnerLimit(aAtCap, request('drill-a-3', 'drill', 'a')).ok).toBe(false);
    const untagged = [runner('i-1', 'drill-1'), runner('i-2', 'drill-2')];
    expect(checkRunnerLimit(untagged, request('drill-3', 'drill', 'default')).ok).toBe(false);
    expect(checkRunnerLimit(untagged, request('drill-b-3', 'drill', 'b')).ok).toBe(true);
  });

  it('a real DR is not refused for drills of its target; real-DR runners still count against it', () => {
    const drills = [runner('i-1', 'drill-a-1', 'drill', 'a'), runner('i-2', 'drill-a-2', 'drill', 'a')];
    expect(checkRunnerLimit(drills, request('alarm-a-3', 'dr', 'a')).ok).toBe(true);
    const real = [runner('i-3', 'alarm-a-4', 'dr', 'a'), runner('i-4', 'alarm-a-5', 'dr', 'a')];
    expect(checkRunnerLimit([...drills, ...real], request('alarm-a-6', 'dr', 'a')).ok).toBe(false);
    expect(checkRunnerLimit(real.slice(0, 1), request('drill-a-7', 'drill', 'a', 1)).ok).toBe(false);
  });
});
