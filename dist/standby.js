#!/usr/bin/env node
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15) || (major === 23 && minor < 8)) {
  console.error(
    `standby needs Node 22.15+ (or 23.8+) for zstd in node:zlib; this is Node ${process.versions.node}.\n` +
      'Run it with the Node 24 that npm installs into the project: node_modules/node/bin/node dist/standby.js ...',
  );
  process.exit(2);
}
const { runCli } = await import('./index.js');
process.exitCode = await runCli();
