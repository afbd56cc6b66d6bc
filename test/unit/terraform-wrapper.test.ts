import { describe, expect, it } from '@jest/globals';
import { stripAnsi } from '../../src/terraform/ansi.js';
import { backendConfigArgs } from '../../src/terraform/backend.js';
import { tail } from '../../src/terraform/cli.js';
import { publicOutputs } from '../../src/terraform/outputs.js';
import { parseTerraformVars } from '../../src/terraform/variables.js';

const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);

describe('stripAnsi', () => {
  it('removes colours, cursor moves and hyperlinks, keeps the text', () => {
    const coloured = `${ESC}[1m${ESC}[32mApply complete!${ESC}[0m ${ESC}[2K${ESC}]8;;https://x.test${BEL}link${ESC}]8;;${BEL}`;
    expect(stripAnsi(coloured)).toBe('Apply complete! link');
    expect(stripAnsi('plain │ text')).toBe('plain │ text');
  });
});

describe('publicOutputs', () => {
  it('keeps non-sensitive values and withholds sensitive ones, and any without a sensitive flag', () => {
    const json = JSON.stringify({
      instance_id: { sensitive: false, type: 'string', value: 'i-0abc12345' },
      kubeconfig: { sensitive: true, type: 'string', value: 'apiVersion: v1' },
      legacy: { type: 'string', value: 'unknown sensitivity' },
    });
    expect(publicOutputs(json)).toEqual({
      values: { instance_id: 'i-0abc12345' },
      withheld: ['kubeconfig', 'legacy'],
    });
  });

  it('treats empty output as no outputs and rejects anything that is not the output -json shape', () => {
    expect(publicOutputs('')).toEqual({ values: {}, withheld: [] });
    expect(() => publicOutputs('Error: no state')).toThrow('did not print JSON');
    expect(() => publicOutputs('[]')).toThrow('did not print an object');
    expect(() => publicOutputs('{"x": 1}')).toThrow("'x' has no value field");
  });
});

describe('parseTerraformVars', () => {
  it('accepts an object of variable values, empty for none', () => {
    expect(
      parseTerraformVars('terraform-vars', '{"instance_type":"t4g.large","root_volume_size_gb":40}'),
    ).toEqual({
      instance_type: 't4g.large',
      root_volume_size_gb: 40,
    });
    expect(parseTerraformVars('terraform-vars', ' ')).toEqual({});
  });

  it.each([
    ['{not json', /is not valid JSON/],
    ['"t4g.large"', /must be a JSON object/],
    ['{"-var":"x"}', /'-var' is not a Terraform variable name/],
    ['{"name":null}', /'name' is null/],
  ])('%s is refused', (raw, message) => {
    expect(() => parseTerraformVars('terraform-vars', raw)).toThrow(message);
  });
});

describe('backendConfigArgs', () => {
  it('always asks for both locks and encryption', () => {
    const args = backendConfigArgs({
      bucket: 'b-1',
      key: 'k/state',
      region: 'eu-west-1',
      lockTable: 'locks',
    });
    expect(args).toEqual([
      '-backend-config=bucket=b-1',
      '-backend-config=key=k/state',
      '-backend-config=region=eu-west-1',
      '-backend-config=dynamodb_table=locks',
      '-backend-config=use_lockfile=true',
      '-backend-config=encrypt=true',
    ]);
  });
});

describe('backendConfigArgs with a KMS key', () => {
  it('passes the state KMS key as kms_key_id when there is one', () => {
    const base = {
      bucket: 'b-1',
      key: 'standby/runners/drill-7.tfstate',
      region: 'eu-west-1',
      lockTable: 'locks',
    };
    expect(backendConfigArgs(base)).not.toContainEqual(expect.stringContaining('kms_key_id'));
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/0b0c0d0e-1111-2222-3333-444455556666';
    expect(backendConfigArgs({ ...base, kmsKeyId: arn })).toContain(`-backend-config=kms_key_id=${arn}`);
  });
});

describe('tail', () => {
  it('keeps the last lines, drops box drawing, redacts secret-looking lines', () => {
    const stderr = [
      '╷',
      '│ Error: creating instance',
      '│ token ghp_abcdefghijklmnopqrstuvwxyz012345',
      '╵',
      '',
    ].join('\n');
    expect(tail(stderr)).toBe('Error: creating instance / [redacted]');
  });
});

describe('tail of a lock error', () => {
  it('keeps the Error heading and says who holds the lock and how it is cleared', () => {
    const stderr = [
      '╷',
      '│ Error: Error acquiring the state lock',
      '│ ',
      '│ Error message: operation error DynamoDB: PutItem, ConditionalCheckFailedException',
      '│ Lock Info:',
      '│   ID:        7e0c9f3a-1111-2222-3333-444455556666',
      '│   Path:      acme-standby-tfstate/standby/runners/drill-7.tfstate',
      '│   Operation: OperationTypeApply',
      '│   Who:       runner@fv-az123',
      '│   Version:   1.11.4',
      '│   Created:   2026-11-28 07:12:03.1 +0000 UTC',
      '│   Info:',
      '│ ',
      '│ Terraform acquires a state lock to protect the state from being written',
      '│ by multiple users at the same time. Please resolve the issue above and try',
      '│ again.',
      '╵',
    ].join('\n');
    const text = tail(stderr);
    expect(text.startsWith('Error: Error acquiring the state lock / ')).toBe(true);
    expect(text).toContain(
      'The state is locked (lock 7e0c9f3a-1111-2222-3333-444455556666, OperationTypeApply by runner@fv-az123',
    );
    expect(text).toContain('terraform force-unlock 7e0c9f3a-1111-2222-3333-444455556666');
  });
});
