import { actionsIO } from './io/actions-io.js';
import { loadPhase } from './phases/load-phase.js';
import { runPhase } from './phases/run-phase.js';
import { describeError } from './util/errors.js';

/**
 * Entry for actions/<phase>/action.yml: the generated dist/<phase>.js calls this with its phase. It loads
 * that phase's definition alone (not the catalogue), then runPhase checks the inputs.
 */
export async function runAction(phase: string): Promise<void> {
  const io = actionsIO();
  try {
    await runPhase(await loadPhase(phase), io);
  } catch (error) {
    io.fail(describeError(error));
  }
}

/**
 * Entry for the umbrella action.yml, whose `phase:` input selects the phase. action.yml marks no input
 * required (each phase needs different ones): the phase checks its own, and `phase` is checked here.
 */
export async function runUmbrellaAction(): Promise<void> {
  const io = actionsIO();
  const phase = io.input('phase');
  if (!phase) {
    io.fail('Input required and not supplied: phase (one of the phases in actions/)');
    return;
  }
  await runAction(phase);
}
