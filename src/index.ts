// The one bundle behind every action and the CLI (dist/index.js); entry files in dist/ pick what to run.
export { runAction, runUmbrellaAction } from './action.js';
export { runCli } from './cli/main.js';
export { COMMON_INPUTS, COMMON_OUTPUTS } from './phases/phase.js';
export { phaseCatalog } from './phases/registry.js';
export { receiptJsonSchema } from './receipts/envelope.js';
