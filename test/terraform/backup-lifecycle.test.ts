// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { resource } from '../helpers/terraform-modules.js';
import { validationErrors } from './hcl-eval.js';
import { type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// Prune on a versioned bucket only adds delete markers (issue 20.9): the orchestrator's lifecycle rule on
// the backup bucket expires pruned backups' noncurrent versions, on exactly the prefix the workflows use.
describe('backup bucket lifecycle', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });

  const rule = (x: Orchestrator) =>
    resource(x.module, 'aws_s3_bucket_lifecycle_configuration', 'backups').rule[0] as Record<
      string,
      unknown[]
    > & {
      status: string;
    };

  /** The S3 key prefix of STANDBY_BACKUP_URI, the prefix prune and restore-precheck work under. */
  const backupKeyPrefix = (x: Orchestrator) => {
    const uri = (x.value('${local.repository_variables}') as Record<string, string>)
      .STANDBY_BACKUP_URI as string;
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) ?? [];
    return { bucket, key };
  };

  it.each([
    ['prod', 'prod/backups/'],
    ['team/nightly', 'team/nightly/backups/'],
    ['', 'backups/'],
  ])(
    'backup_prefix %j: the rule covers exactly the backups prefix of STANDBY_BACKUP_URI (%s)',
    async (prefix, expected) => {
      const x = await orchestrator({ backup_prefix: prefix });
      const { bucket, key } = backupKeyPrefix(x);
      const block = resource(x.module, 'aws_s3_bucket_lifecycle_configuration', 'backups');
      expect(x.value(block.bucket)).toBe(bucket);
      const filter = rule(x).filter?.[0] as { prefix: string };
      expect(x.value(filter.prefix)).toBe(expected);
      expect(x.value(filter.prefix)).toBe(key);
    },
  );

  it('expires noncurrent versions after backup_noncurrent_version_days, and the orphaned delete markers', async () => {
    const r = rule(o);
    expect(r.status).toBe('Enabled');
    const noncurrent = r.noncurrent_version_expiration?.[0] as { noncurrent_days: string };
    expect(o.value(noncurrent.noncurrent_days)).toBe(30);
    const custom = await orchestrator({ backup_noncurrent_version_days: 7 });
    expect(
      custom.value(
        (rule(custom).noncurrent_version_expiration as { noncurrent_days: string }[])[0]?.noncurrent_days,
      ),
    ).toBe(7);
    expect(r.expiration?.[0]).toEqual({ expired_object_delete_marker: true });
    // Current objects never expire by age: only prune decides which backups go.
    expect(JSON.stringify(r.expiration)).not.toMatch(/"days"/);
    const rules = resource(o.module, 'aws_s3_bucket_lifecycle_configuration', 'backups').rule as Record<
      string,
      unknown
    >[];
    // The second rule only aborts uploads that never completed, anywhere in the bucket.
    expect(rules[1]).toMatchObject({
      status: 'Enabled',
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(Object.keys(rules[1] ?? {}).sort()).toEqual([
      'abort_incomplete_multipart_upload',
      'filter',
      'id',
      'status',
    ]);
  });

  it('is on by default and can be left to the bucket owner (manage_backup_lifecycle)', () => {
    const block = resource(o.module, 'aws_s3_bucket_lifecycle_configuration', 'backups');
    // The single-publisher form; with `targets`, target_backups (one configuration per backup bucket).
    expect(block.count).toBe('${var.manage_backup_lifecycle && local.legacy_targets ? 1 : 0}');
    expect(o.module.variables.manage_backup_lifecycle?.default).toBe(true);
  });

  it.each([
    [1, true],
    [30, true],
    [3650, true],
    [0, false],
    [-1, false],
    [1.5, false],
    [3651, false],
  ])('backup_noncurrent_version_days %j accepted: %s', (days, ok) => {
    expect(
      validationErrors(o.module, 'backup_noncurrent_version_days', days, o.scope.vars).length === 0,
    ).toBe(ok);
  });
});
