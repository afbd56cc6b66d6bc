import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseBackupTarget } from '../../src/backup/layout.js';
import { RunnerSandbox } from '../helpers/runner-sandbox.js';
import { loadModule, type TerraformModule } from '../helpers/terraform-modules.js';
import { validationErrors } from '../terraform/hcl-eval.js';

// The backup URI contract (docs/restore.md): ONE table of cases, run through every checker of the value.
// A checker that disagrees with the table, or a case added without a checker's verdict, fails here.
interface Case {
  uri: string;
  valid: boolean;
  form?: 'prefix' | 'one';
  fault?: 'shape' | 'prefix' | 'id' | 'bucket';
  why: string;
}
const { cases } = JSON.parse(readFileSync('test/fixtures/backup-uri-cases.json', 'utf8')) as {
  cases: Case[];
};

const label = (c: Case) => `${JSON.stringify(c.uri)} (${c.why})`;

describe('the backup URI table', () => {
  it('covers the bucket root, nested prefixes, odd characters, traversal, double slashes and bad buckets', () => {
    const whys = cases.map((c) => c.why).join('\n');
    for (const topic of [
      'bucket root',
      'nested prefix',
      'odd but legal',
      'traversal',
      'double slash',
      'IP address',
      'xn--',
      'uppercase',
      'too short',
      'too long',
    ])
      expect(whys).toContain(topic);
    for (const c of cases)
      expect([label(c), c.valid ? c.form !== undefined : c.fault !== undefined]).toEqual([label(c), true]);
  });
});

describe('the TypeScript parser (parseBackupTarget: restore-precheck, restore, backup, prune)', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    let verdict: string;
    try {
      verdict = parseBackupTarget('backup-uri', c.uri).kind;
    } catch (error) {
      expect((error as Error).message).toContain('backup-uri');
      verdict = 'refused';
    }
    expect(verdict).toBe(c.valid ? c.form : 'refused');
  });
});

describe('restore.sh (valid_backup_uri: the runner takes one backup, never the prefix)', () => {
  const sandbox = new RunnerSandbox();
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const { report } = sandbox.run('restore.sh', {
      STANDBY_BACKUP_URI: c.uri,
      STANDBY_NAMESPACE: 'jobintel',
      STANDBY_STATE_CLAIM: 'jobintel-state',
      STANDBY_RESTORE_PATH: sandbox.path('var-lib-standby', 'volumes', 'jobintel'),
    });
    // No backup is in the stub S3: an accepted URI gets as far as the download, a refused one stops at start.
    const accepted = report?.step !== 'start';
    expect([accepted, String(report?.error)]).toEqual([
      c.valid && c.form === 'one',
      accepted
        ? expect.stringMatching(/^download: cannot download s3:\/\//)
        : expect.stringContaining('STANDBY_BACKUP_URI'),
    ]);
  });
});

describe('validate.sh and activate.sh', () => {
  it('take no backup URI, so they are not checkers of the contract', () => {
    for (const script of ['validate.sh', 'activate.sh'])
      expect(readFileSync(`src/runner/${script}`, 'utf8')).not.toMatch(/BACKUP_URI|s3:\/\//);
  });
});

/**
 * What Terraform can express: it writes s3://<backup_bucket>/[<backup_prefix>/]backups/ (orchestrator's
 * STANDBY_BACKUP_URI, runner's backup_uri output). A case is run through the variable validations when
 * its backups prefix is exactly what Terraform would write for some bucket and prefix.
 */
function terraformParts(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]*)\/(.*)$/s.exec(uri.replace(/\/$/, ''));
  if (!match) return undefined;
  const segments = (match[2] ?? '').split('/');
  const at = segments.at(-1) === 'backups' ? -1 : segments.at(-2) === 'backups' ? -2 : 0;
  if (at === 0) return undefined;
  const parts = { bucket: match[1] ?? '', prefix: segments.slice(0, at).join('/') };
  const written = `s3://${parts.bucket}/${parts.prefix ? `${parts.prefix}/` : ''}backups`;
  return uri.startsWith(written) ? parts : undefined;
}

describe.each(['runner', 'orchestrator'])('the Terraform validations of terraform/%s', (name) => {
  let module: TerraformModule;
  beforeAll(async () => {
    module = await loadModule(name);
  });
  const expressible = cases.filter((c) => c.fault !== 'shape' && c.fault !== 'id' && terraformParts(c.uri));

  it('sees every case whose bucket or prefix is at fault, and every valid case', () => {
    const wanted = cases.filter((c) => c.valid || c.fault === 'bucket' || c.fault === 'prefix');
    expect(expressible.map(label).sort()).toEqual(
      wanted
        .filter((c) => c.uri !== 's3://backups//backups/')
        .map(label)
        .sort(),
    );
  });

  it.each(expressible.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const { bucket, prefix } = terraformParts(c.uri) ?? { bucket: '', prefix: '' };
    const errors = [
      ...validationErrors(module, 'backup_bucket', bucket, {}),
      ...validationErrors(module, 'backup_prefix', prefix, {}),
    ];
    expect(errors.length === 0).toBe(c.valid);
  });
});
