// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ALL_MODULE_NAMES,
  loadModule,
  TERRAFORM_ROOT,
  type TerraformModule,
} from '../helpers/terraform-modules.js';
import { checkModule, loadProviderSchema, type ProviderSchema } from './provider-schema.js';

// The nearest thing to `terraform validate` without downloading providers: every resource, data source
// and provider block is checked against the provider's own schema, read from the cdktf package generated
// from it (pinned in requirements-provider-schemas.txt, fetched by scripts/provider-schemas.sh).
let schemas: ProviderSchema[] = [];
const modules: Record<string, TerraformModule> = {};

beforeAll(async () => {
  schemas = [loadProviderSchema('@cdktf/provider-aws'), loadProviderSchema('@cdktf/provider-github')];
  for (const name of ALL_MODULE_NAMES) modules[name] = await loadModule(name);
}, 60_000);

describe('provider schema packages', () => {
  it('are the pinned packages and name the provider release they were generated from', () => {
    const [aws, github] = schemas as [ProviderSchema, ProviderSchema];
    expect(aws.source).toBe('hashicorp/aws');
    expect(github.source).toBe('integrations/github');
    const pins = readFileSync(path.resolve('requirements-provider-schemas.txt'), 'utf8');
    expect(pins).toContain(`${aws.package.name}@${aws.package.version} sha512-`);
    expect(pins).toContain(`${github.package.name}@${github.package.version} sha512-`);
    expect(aws.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(aws.resources.get('aws_instance')?.attributes.has('instance_type')).toBe(true);
    expect(aws.resources.get('aws_instance')?.blocks.has('metadata_options')).toBe(true);
    expect(aws.dataSources.has('aws_iam_policy_document')).toBe(true);
    expect(github.resources.get('github_repository_environment')?.attributes.get('environment')).toEqual({
      required: true,
    });
  });

  it.each(ALL_MODULE_NAMES)(
    '%s pins each provider to exactly the release its schema package describes',
    (name) => {
      const required = modules[name]?.terraform.flatMap((block) => block.required_providers ?? []) ?? [];
      const pinned = Object.assign({}, ...required) as Record<string, { source: string; version: string }>;
      expect(Object.keys(pinned).length).toBeGreaterThan(0);
      for (const [local, { source, version }] of Object.entries(pinned)) {
        const schema = schemas.find((s) => s.source === source);
        expect([local, source, version]).toEqual([local, source, schema?.version]);
      }
    },
  );
});

describe('every block of every module matches the provider schema', () => {
  it.each(ALL_MODULE_NAMES)('%s: no unknown type, argument or block, no missing required one', (name) => {
    expect(checkModule(modules[name] as TerraformModule, schemas)).toEqual([]);
  });

  it('actually looks at every resource and data source (nothing skipped)', () => {
    const counted = Object.values(modules).reduce(
      (sum, m) =>
        sum +
        Object.values(m.resources).reduce((n, byName) => n + Object.keys(byName).length, 0) +
        Object.values(m.data).reduce((n, byName) => n + Object.keys(byName).length, 0),
      0,
    );
    expect(counted).toBeGreaterThan(40);
  });
});

describe('the check catches mistakes (on an edited copy of terraform/)', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'standby-tf-'));
    cpSync(TERRAFORM_ROOT, root, { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function problemsAfter(module: string, file: string, from: string | RegExp, to: string) {
    const target = path.join(root, module, file);
    const original = readFileSync(target, 'utf8');
    const edited = original.replace(from, to);
    expect(edited).not.toBe(original); // the edit applied
    writeFileSync(target, edited);
    try {
      return checkModule(await loadModule(module, root), schemas);
    } finally {
      writeFileSync(target, original);
    }
  }

  it('a misspelt argument', async () => {
    expect(await problemsAfter('runner', 'main.tf', /\binstance_type\s+=/, 'instance_typ =')).toEqual([
      'aws_instance.runner: unknown argument "instance_typ"',
    ]);
  });

  it('a misspelt argument inside a nested block', async () => {
    expect(await problemsAfter('runner', 'main.tf', 'http_tokens ', 'http_token ')).toEqual([
      'aws_instance.runner.metadata_options: unknown argument "http_token"',
    ]);
  });

  it('a missing required argument', async () => {
    expect(
      await problemsAfter('bootstrap', 'main.tf', /\n\s+target_key_id = aws_kms_key\.state\.key_id/, ''),
    ).toEqual(['aws_kms_alias.state: missing required argument "target_key_id"']);
  });

  it('a misspelt resource type and a misspelt GitHub argument', async () => {
    expect(
      await problemsAfter(
        'bootstrap',
        'main.tf',
        'resource "aws_dynamodb_table"',
        'resource "aws_dynamodb_tabel"',
      ),
    ).toEqual([
      'aws_dynamodb_tabel.lock: the hashicorp/aws provider has no resource type aws_dynamodb_tabel',
    ]);
    expect(
      await problemsAfter('orchestrator', 'github.tf', /prevent_self_review\s+=/, 'prevent_self_reviews ='),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/unknown argument "prevent_self_reviews"/)]));
  });
});
