import * as core from '@actions/core';
import { actionsIO } from './io/actions-io.js';
import { findPhase } from './phases/registry.js';
import { runPhase } from './phases/run-phase.js';
import { describeError } from './util/errors.js';

/** Entry for actions/<phase>/action.yml: the generated dist/<phase>.js calls this with its phase. */
export async function runAction(phase: string): Promise<void> {
  try {
    await runPhase(findPhase(phase), actionsIO);
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

/** Entry for the umbrella action.yml, whose `phase:` input selects the phase. */
export async function runUmbrellaAction(): Promise<void> {
  await runAction(core.getInput('phase', { required: true }));
}
