// The one bundle behind every action and the CLI (dist/index.js); entry files in dist/ pick what to run.
// Everything here is a dynamic import: ncc emits each as its own chunk, so an action entry loads only the
// runner and its phase, and `standby --help` loads only the command line.

/** dist/<phase>.js */
export async function runAction(phase: string): Promise<void> {
  return (await import('./action.js')).runAction(phase);
}

/** dist/action.js (the umbrella action) */
export async function runUmbrellaAction(): Promise<void> {
  return (await import('./action.js')).runUmbrellaAction();
}

/** dist/standby.js: resolves to the process exit code. */
export async function runCli(argv?: string[]): Promise<number> {
  return (await import('./cli/main.js')).runCli(argv);
}

/**
 * What scripts/write-action-files.mjs generates action.yml files and the receipt schema from; each
 * phase's outputs (`outputsOf`, by phase name) come from its output schema, which a phase loads only when
 * it needs it.
 */
export async function buildMetadata() {
  const [{ phaseCatalog }, { COMMON_INPUTS, COMMON_OUTPUTS, phaseOutputs }, { receiptJsonSchema }] =
    await Promise.all([
      import('./phases/registry.js'),
      import('./phases/phase.js'),
      import('./receipts/envelope.js'),
    ]);
  const outputsOf = Object.fromEntries(
    await Promise.all(phaseCatalog.map(async (phase) => [phase.name, await phaseOutputs(phase)] as const)),
  );
  return { phaseCatalog, outputsOf, COMMON_INPUTS, COMMON_OUTPUTS, receiptJsonSchema };
}
