import * as core from '@actions/core';
import type { PhaseIO } from './phase-io.js';

/** PhaseIO on the GitHub Actions runner: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
export const actionsIO: PhaseIO = {
  input: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  summary: async (markdown) => {
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
  },
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  fail: (message) => core.setFailed(message),
  mask: (value) => core.setSecret(value),
};
