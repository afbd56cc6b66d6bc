// The `terraform` the tests put on PATH (test/helpers/fake-terraform.ts): hands its call to the stand-in's
// daemon (fake-terraform-daemon.mjs) and behaves as the answer says: the same output, the same exit code.
import { connect } from 'node:net';
import path from 'node:path';

const call = { args: process.argv.slice(2), cwd: process.cwd(), env: process.env };
const connection = connect(path.join(process.env.FAKE_TF_DIR, 'daemon.sock'));
let answer = '';
connection.setEncoding('utf8');
connection.on('connect', () => connection.write(`${JSON.stringify(call)}\n`));
connection.on('data', (chunk) => {
  answer += chunk;
});
connection.on('end', () => {
  const { stdout, stderr, code } = JSON.parse(answer);
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exitCode = code;
});
connection.on('error', (error) => {
  process.stderr.write(`fake terraform: the daemon did not answer (${error.message})\n`);
  process.exitCode = 1;
});
