import * as core from '@actions/core';
import type { AnnotationPlace, PhaseIO } from './phase-io.js';

/**
 * PhaseIO on the GitHub Actions runner, through @actions/core (docs/architecture.md, "Talking to the
 * runner"): inputs, outputs and the job summary through the runner's files,
 * annotations, masks, groups and the failure exit code are all the toolkit's.
 */
export function actionsIO(): PhaseIO {
  return {
    input: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    summary: async (markdown) => {
      // Outside a step (no summary file) there is nowhere to write it; core.summary would throw.
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
    warning: (message, place) => core.warning(message, annotation(place)),
    notice: (message, place) => core.notice(message, annotation(place)),
    fail: (message, place) => {
      if (!place?.file) return core.setFailed(message);
      // setFailed takes no place: the same exit code and error annotation, with its file and line.
      process.exitCode = core.ExitCode.Failure;
      core.error(message, annotation(place));
    },
    mask: (value) => {
      if (value) core.setSecret(value);
    },
    group: (name, step) => core.group(name, step),
  };
}

function annotation(place: AnnotationPlace | undefined): core.AnnotationProperties | undefined {
  if (!place?.file) return undefined;
  return { file: place.file, startLine: place.line };
}
