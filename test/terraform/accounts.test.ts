// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseAccountId } from '../../src/validation/primitives.js';
import { loadModule, MODULE_NAMES, type TerraformModule } from '../helpers/terraform-modules.js';
import { evaluate, type Value, validationErrors } from './hcl-eval.js';

// The account is explicit everywhere (issue 20.14): every aws provider block carries
// allowed_account_ids from a validated account_id variable, and that variable accepts exactly what the
// phases' expected-account-id accepts. One table of cases, every checker.
const ACCOUNT_IDS: { value: string; valid: boolean }[] = [
  { value: '111122223333', valid: true },
  { value: '000000000000', valid: true },
  { value: '11112222333', valid: false }, // 11 digits
  { value: '1111222233334', valid: false }, // 13 digits
  { value: '1111-2222-3333', valid: false }, // console formatting
  { value: 'arn:aws:iam::111122223333:root', valid: false },
  { value: '11112222333a', valid: false },
  { value: ' 111122223333', valid: false }, // Terraform does not trim (the TypeScript parser does, see below)
];

const modules: Record<string, TerraformModule> = {};
beforeAll(async () => {
  for (const name of MODULE_NAMES) modules[name] = await loadModule(name);
});

describe('account_id: one table through every checker', () => {
  it.each(ACCOUNT_IDS)("TypeScript parseAccountId: '$value' valid=$valid", ({ value, valid }) => {
    // parseAccountId trims its input (a workflow expression may leave spaces); compare what it keeps.
    const parse = () => parseAccountId('expected-account-id', value);
    if (valid) expect(parse()).toBe(value);
    else if (value.trim() !== value) expect(parse()).toBe(value.trim());
    else expect(parse).toThrow(/12-digit/);
  });

  it.each(MODULE_NAMES)('%s: the account_id validation agrees with the table', (name) => {
    const m = modules[name] as TerraformModule;
    const verdicts = ACCOUNT_IDS.map(({ value }) => [
      value,
      validationErrors(m, 'account_id', value, {}).length === 0,
    ]);
    expect(verdicts).toEqual(ACCOUNT_IDS.map(({ value, valid }) => [value, valid]));
  });

  it('only the runner may leave it unset (bringup still checks expected-account-id); the others require it', () => {
    expect(modules.runner?.variables.account_id?.default).toBeNull();
    expect(validationErrors(modules.runner as TerraformModule, 'account_id', null, {})).toEqual([]);
    for (const name of ['bootstrap', 'orchestrator'])
      expect([name, 'default' in (modules[name]?.variables.account_id ?? {})]).toEqual([name, false]);
  });
});

describe('every aws provider block pins the account', () => {
  it.each(MODULE_NAMES)('%s: allowed_account_ids = [var.account_id]', (name) => {
    const m = modules[name] as TerraformModule;
    const provider = m.providers.aws;
    expect(provider).toBeDefined();
    const scope = (account: Value) => ({ module: m, vars: { account_id: account, region: 'eu-west-1' } });
    expect(evaluate(provider?.allowed_account_ids, scope('111122223333'))).toEqual(['111122223333']);
  });

  it('the runner without account_id sets none (null: the provider argument is unset)', () => {
    const m = modules.runner as TerraformModule;
    expect(
      evaluate(m.providers.aws?.allowed_account_ids, { module: m, vars: { account_id: null } }),
    ).toBeNull();
  });
});
