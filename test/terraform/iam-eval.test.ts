// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { describe, expect, it } from '@jest/globals';
import type { TerraformModule } from '../helpers/terraform-modules.js';
import { evaluate, type PolicyJson } from './hcl-eval.js';
import { decide, glob } from './iam-eval.js';

// The evaluators the policy tests rely on, checked against the documented semantics first.

const policy = (...Statement: PolicyJson['Statement']): PolicyJson => ({ Version: '2012-10-17', Statement });

describe('IAM evaluator', () => {
  it('wildcards: * any run, ? one character; actions ignore case, resources do not', () => {
    expect(glob('arn:aws:s3:::b/p/*', 'arn:aws:s3:::b/p/')).toBe(true);
    expect(glob('arn:aws:s3:::b/p/*', 'arn:aws:s3:::b/p/x/y')).toBe(true);
    expect(glob('arn:aws:s3:::b/p?', 'arn:aws:s3:::b/px')).toBe(true);
    expect(glob('arn:aws:s3:::b/p?', 'arn:aws:s3:::b/pxy')).toBe(false);
    expect(glob('arn:aws:s3:::B/*', 'arn:aws:s3:::b/x')).toBe(false);
    const p = policy({ Effect: 'Allow', Action: ['s3:Get*'], Resource: ['arn:aws:s3:::b/*'] });
    expect(decide([p], { action: 'S3:GETOBJECT', resource: 'arn:aws:s3:::b/k' })).toBe('allow');
    expect(decide([p], { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' })).toBe('implicit-deny');
  });

  it('an explicit deny wins over any allow', () => {
    const p = policy(
      { Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] },
      { Effect: 'Deny', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::b/*'] },
    );
    expect(decide([p], { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' })).toBe('explicit-deny');
    expect(decide([p], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })).toBe('allow');
  });

  it('conditions: operators and keys are ANDed, the values of one key ORed', () => {
    const p = policy({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: { StringEquals: { a: ['1', '2'], b: ['x'] }, StringLike: { c: ['refs/heads/*'] } },
    });
    const ask = (context: Record<string, string>) =>
      decide([p], { action: 'sts:AssumeRoleWithWebIdentity', context });
    expect(ask({ a: '2', b: 'x', c: 'refs/heads/main' })).toBe('allow');
    expect(ask({ a: '3', b: 'x', c: 'refs/heads/main' })).toBe('implicit-deny');
    expect(ask({ a: '1', b: 'y', c: 'refs/heads/main' })).toBe('implicit-deny');
    expect(ask({ a: '1', b: 'x', c: 'refs/tags/v1' })).toBe('implicit-deny');
    expect(ask({ a: '1', b: 'x' })).toBe('implicit-deny'); // a missing key fails a positive operator
  });

  it('missing keys: negated operators hold, IfExists holds, Null tests presence', () => {
    const allowIf = (Condition: Record<string, Record<string, string[]>>) =>
      policy({ Effect: 'Allow', Action: ['x:Y'], Resource: ['*'], Condition });
    const ask = (p: PolicyJson, context: Record<string, string> = {}) =>
      decide([p], { action: 'x:Y', resource: 'r', context });
    expect(ask(allowIf({ StringNotEquals: { k: ['v'] } }))).toBe('allow');
    expect(ask(allowIf({ StringNotEquals: { k: ['v', 'w'] } }), { k: 'w' })).toBe('implicit-deny');
    expect(ask(allowIf({ StringEqualsIfExists: { k: ['v'] } }))).toBe('allow');
    expect(ask(allowIf({ StringEqualsIfExists: { k: ['v'] } }), { k: 'w' })).toBe('implicit-deny');
    expect(ask(allowIf({ Null: { k: ['true'] } }))).toBe('allow');
    expect(ask(allowIf({ Null: { k: ['true'] } }), { k: '*' })).toBe('implicit-deny');
    expect(ask(allowIf({ Null: { k: ['false'] } }), { k: '*' })).toBe('allow');
  });

  it('ForAllValues is vacuously true on a missing key (hence the Null guard); ForAnyValue is not', () => {
    const p = (qualifier: string) =>
      policy({
        Effect: 'Allow',
        Action: ['ec2:CreateTags'],
        Resource: ['*'],
        Condition: { [`${qualifier}:StringEquals`]: { 'aws:TagKeys': ['a'] } },
      });
    const ask = (q: string, keys?: string[]) =>
      decide([p(q)], {
        action: 'ec2:CreateTags',
        resource: 'r',
        context: keys ? { 'aws:TagKeys': keys } : {},
      });
    expect(ask('ForAllValues', ['a'])).toBe('allow');
    expect(ask('ForAllValues', ['a', 'b'])).toBe('implicit-deny');
    expect(ask('ForAllValues')).toBe('allow');
    expect(ask('ForAnyValue', ['a', 'b'])).toBe('allow');
    expect(ask('ForAnyValue')).toBe('implicit-deny');
  });

  it('a trust policy also matches the principal', () => {
    const p = policy({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: ['arn:aws:iam::1:oidc-provider/x'] },
    });
    expect(
      decide([p], {
        action: 'sts:AssumeRoleWithWebIdentity',
        principal: { type: 'Federated', id: 'arn:aws:iam::1:oidc-provider/x' },
      }),
    ).toBe('allow');
    expect(
      decide([p], {
        action: 'sts:AssumeRoleWithWebIdentity',
        principal: { type: 'Federated', id: 'arn:aws:iam::2:oidc-provider/x' },
      }),
    ).toBe('implicit-deny');
  });
});

describe('Terraform expression evaluator', () => {
  const module = {
    locals: {
      root: '${var.prefix == "" ? "" : "${var.prefix}/"}',
      joined: '${join(",", formatlist("%s=%s", keys(var.dims), values(var.dims)))}',
      full: 'arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/${local.root}x',
    },
  } as unknown as TerraformModule;
  const scope = (vars: Record<string, unknown>) => ({
    module,
    vars: vars as never,
    known: { 'data.aws_partition.current.partition': 'aws' },
  });

  it('renders templates, conditionals, nested templates, functions, locals and known references', () => {
    expect(evaluate('${local.full}', scope({ prefix: 'p', bucket: 'b' }))).toBe('arn:aws:s3:::b/p/x');
    expect(evaluate('${local.full}', scope({ prefix: '', bucket: 'b' }))).toBe('arn:aws:s3:::b/x');
    expect(evaluate('${local.joined}', scope({ dims: { B: '2', A: '1' } }))).toBe('A=1,B=2');
    expect(evaluate('${var.list}', scope({ list: ['a'] }))).toEqual(['a']);
    expect(evaluate('x-${aws_iam_role.r.arn}', scope({}))).toBe('x-<aws_iam_role.r.arn>');
    expect(evaluate('${trimsuffix("b/", "/")}', scope({}))).toBe('b');
    expect(evaluate('$${literal}', scope({}))).toBe('${literal}');
    expect(evaluate('${[for x in var.l : lower(x) if x != "b"]}', scope({ l: ['a', 'b'] }))).toEqual(['a']);
    expect(evaluate('${[for x in var.l : x if x != "b"]}', scope({ l: ['a', 'b', 'c'] }))).toEqual([
      'a',
      'c',
    ]);
    expect(
      evaluate('${alltrue([for k in keys(var.m) : can(regex("^[a-z]+$", k))])}', scope({ m: { ok: 1 } })),
    ).toBe(true);
    expect(
      evaluate('${alltrue([for k in keys(var.m) : can(regex("^[a-z]+$", k))])}', scope({ m: { 'no/': 1 } })),
    ).toBe(false);
    expect(evaluate('${can(timeadd(var.t, "0s"))}', scope({ t: '2026-11-28T10:00:00Z' }))).toBe(true);
    expect(evaluate('${can(timeadd(var.t, "0s"))}', scope({ t: 'tomorrow' }))).toBe(false);
    expect(evaluate('${try(length(var.n) > 0, false)}', scope({ n: null }))).toBe(false);
  });

  it('refuses what it cannot evaluate faithfully', () => {
    expect(() => evaluate('${var.l[*].x}', scope({ l: [] }))).toThrow();
    expect(() =>
      evaluate('${{for k, v in var.m : k => v if v == k}}', scope({ m: { a: 'a', b: 'a' } })),
    ).not.toThrow();
    // Two elements with one key: Terraform refuses it (without the ... grouping mode), so must this.
    expect(() => evaluate('${{for k, v in var.m : v => k}}', scope({ m: { a: 'x', b: 'x' } }))).toThrow(
      /duplicate key/,
    );
    expect(() => evaluate('${nosuchfn(1)}', scope({}))).toThrow(/not supported/);
    expect(() => evaluate('${var.missing}', scope({}))).toThrow(/no attribute missing/);
  });
});
