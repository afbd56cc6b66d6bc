import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPins } from './terraform-modules.js';

/** One call of the stand-in terraform, as it recorded it. */
export interface TerraformCall {
  args: string[];
  cwd: string;
  /** For plan: the -var-file contents and the sha256 of the plan file it wrote. */
  vars?: unknown;
  planSha256?: string;
}

/** Outputs in the exact shape `terraform output -json` prints (sensitive ones included, as Terraform does). */
export const RUNNER_OUTPUTS = {
  instance_id: { sensitive: false, type: 'string', value: 'i-0123456789abcdef0' },
  private_ip: { sensitive: false, type: 'string', value: '10.0.1.23' },
  k3s_version: { sensitive: false, type: 'string', value: 'v1.36.4+k3s1' },
  tags: {
    sensitive: false,
    type: ['map', 'string'],
    value: { ManagedBy: 'standby', Name: 'standby-dr-runner', Purpose: 'standby-dr', execution: 'drill-7' },
  },
  bootstrap_secret: { sensitive: true, type: 'string', value: 'hunter2-is-not-for-receipts' },
};

// The stand-in itself: records its arguments, writes a plan file for `plan -out`, insists that `apply` gets
// an existing plan file, prints coloured text like a terminal-happy tool would, and fails on request.
const SCRIPT = `
const fs = require('node:fs');
const crypto = require('node:crypto');
const args = process.argv.slice(2);
const command = args[0];
const entry = { args, cwd: process.cwd() };
const flag = (name) => (args.find((a) => a.startsWith(name + '=')) || '').slice(name.length + 1);
const red = (s) => '\\u001b[31m' + s + '\\u001b[0m';
const bold = (s) => '\\u001b[1m' + s + '\\u001b[0m';
if (command === 'plan') {
  entry.vars = JSON.parse(fs.readFileSync(flag('-var-file'), 'utf8'));
  const plan = 'fake plan ' + crypto.randomUUID();
  fs.writeFileSync(flag('-out'), plan);
  entry.planSha256 = crypto.createHash('sha256').update(plan).digest('hex');
}
fs.appendFileSync(process.env.FAKE_TF_LOG, JSON.stringify(entry) + '\\n');
if (process.env.FAKE_TF_FAIL === command) {
  process.stderr.write(red('Error: ') + bold('creating EC2 Instance: UnauthorizedOperation') + '\\n');
  process.stderr.write('│ request used Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789\\n');
  process.exit(1);
}
if (command === 'version') console.log(JSON.stringify({ terraform_version: process.env.FAKE_TF_VERSION, platform: 'linux_amd64', provider_selections: {}, terraform_outdated: false }));
if (command === 'init') console.log(bold('\\u001b[32mTerraform has been successfully initialized!\\u001b[0m'));
if (command === 'plan') console.log(bold('Plan:') + ' 5 to add, 0 to change, 0 to destroy.');
if (command === 'apply') {
  const planFile = args[args.length - 1];
  if (!fs.existsSync(planFile)) { console.error('Error: Failed to load "' + planFile + '" as a plan file'); process.exit(1); }
  console.log(bold('\\u001b[32mApply complete! Resources: 5 added, 0 changed, 0 destroyed.\\u001b[0m'));
}
if (command === 'output') process.stdout.write(fs.readFileSync(process.env.FAKE_TF_OUTPUTS, 'utf8'));
if (command === 'show') {
  // The shape of \`terraform show -json <plan>\`: resource_changes with change.actions (a no-op included).
  const change = (address, actions) => ({ address, mode: 'managed', type: address.split('.')[0], name: address.split('.')[1], change: { actions } });
  console.log(JSON.stringify({ format_version: '1.2', terraform_version: process.env.FAKE_TF_VERSION, resource_changes: [
    change('aws_security_group.runner', ['create']),
    change('aws_instance.runner', ['create']),
    change('aws_iam_role.runner', ['create']),
    change('data_source_stub.ami', ['no-op']),
  ] }));
}
`;

/** Puts a stand-in `terraform` first on PATH. Call restore() when done. */
export function installFakeTerraform() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-terraform-'));
  const log = path.join(dir, 'calls.jsonl');
  const outputs = path.join(dir, 'outputs.json');
  writeFileSync(path.join(dir, 'terraform'), `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(path.join(dir, 'terraform'), 0o755);
  const saved = {
    PATH: process.env.PATH,
    FAKE_TF_LOG: process.env.FAKE_TF_LOG,
    FAKE_TF_OUTPUTS: process.env.FAKE_TF_OUTPUTS,
  };
  process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
  process.env.FAKE_TF_LOG = log;
  process.env.FAKE_TF_OUTPUTS = outputs;
  return {
    /** Fresh log, these outputs, the pinned Terraform version, no failure. */
    reset(outputsJson: unknown = RUNNER_OUTPUTS) {
      writeFileSync(log, '');
      process.env.FAKE_TF_VERSION = readPins().terraform;
      writeFileSync(outputs, JSON.stringify(outputsJson));
      delete process.env.FAKE_TF_FAIL;
    },
    reportVersion(version: string) {
      process.env.FAKE_TF_VERSION = version;
    },
    failOn(command: string) {
      process.env.FAKE_TF_FAIL = command;
    },
    calls(): TerraformCall[] {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TerraformCall);
    },
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      delete process.env.FAKE_TF_FAIL;
      delete process.env.FAKE_TF_VERSION;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
