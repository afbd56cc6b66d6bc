// Runs the stand-in terraform's calls for one test file in one process (test/helpers/fake-terraform.ts
// starts it): each `terraform` on PATH (fake-terraform-bin.mjs) sends its arguments, working directory and
// environment over a Unix socket and prints the answer. The AWS SDK then loads once per test file instead
// of once per call (about a third of a second of CPU each). Calls run concurrently, as processes would,
// so two bringups can still race for the state lock. It exits when the test process goes away.
import { createServer } from 'node:net';
import { runTerraform } from './fake-terraform-core.mjs';

const socket = process.argv[2];
const server = createServer((connection) => {
  let request = '';
  connection.setEncoding('utf8');
  connection.on('data', (chunk) => {
    request += chunk;
    if (!request.endsWith('\n')) return;
    runTerraform(JSON.parse(request)).then((answer) => connection.end(`${JSON.stringify(answer)}\n`));
  });
});
server.listen(socket, () => process.send?.('ready'));
process.on('disconnect', () => process.exit(0));
