// Runs the stand-in terraform's calls for one test file in one process (test/helpers/fake-terraform.ts
// starts it): each `terraform` on PATH (the bash client fake-terraform.ts writes) connects over loopback
// TCP and sends its working directory, arguments and environment as NUL-separated strings (the working
// directory, the argument count, the arguments, then `env -0`, then an empty string). The daemon writes
// what the process would print to two files in FAKE_TF_DIR and answers `<exit code> <answer number>`;
// the client prints them and exits with that code. The AWS SDK then loads once per test file instead of
// once per call, and a call starts bash instead of a Node process (about 25 ms of CPU each). Calls run
// concurrently, as processes would, so two bringups can still race for the state lock. It exits when the
// test process goes away.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { runTerraform } from './fake-terraform-core.mjs';

const dir = process.argv[2];
let answers = 0;

/** The call in a request, once its closing empty string has arrived; undefined until then. */
function parse(request) {
  const fields = request.toString('utf8').split('\0');
  if (fields.length < 3) return undefined; // the argument count is complete once a NUL follows it
  const count = Number(fields[1]);
  const end = fields.indexOf('', 2 + count);
  // The closing empty string is followed by the split's own last (empty) field: an empty last field
  // alone only means the data so far ends on a NUL.
  if (end === -1 || end === fields.length - 1) return undefined;
  const env = {};
  for (const entry of fields.slice(2 + count, end)) {
    const at = entry.indexOf('=');
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return { cwd: fields[0], args: fields.slice(2, 2 + count), env };
}

const server = createServer((connection) => {
  const chunks = [];
  let started = false;
  connection.on('data', (chunk) => {
    chunks.push(chunk);
    const call = started ? undefined : parse(Buffer.concat(chunks));
    if (!call) return;
    started = true;
    runTerraform(call).then(({ stdout, stderr, code }) => {
      const n = ++answers;
      writeFileSync(path.join(dir, `answer-${n}.out`), stdout);
      writeFileSync(path.join(dir, `answer-${n}.err`), stderr);
      connection.end(`${code} ${n}\n`);
    });
  });
});
server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
process.on('disconnect', () => process.exit(0));
