import type { SSMClient } from '@aws-sdk/client-ssm';
import { runShellCommand } from '../../aws/ssm-command.js';
import { READY_MARKER } from '../../terraform/runner-contract.js';
import { describeError } from '../../util/errors.js';
import type { Wait } from './agent.js';

/**
 * One look at the runner through SSM Run Command: the marker's content, or cloud-init's status when it
 * is not there yet. Fixed text, no values spliced in.
 */
export const READY_PROBE = [
  `if [ -s ${READY_MARKER} ]; then printf 'READY '; head -c 4096 ${READY_MARKER}; echo;`,
  "else printf 'NOT_READY '; (cloud-init status 2>/dev/null || echo 'status: unknown') | tr '\\n' ' ' | head -c 300; echo; fi",
];

export type ProbeResult =
  | { state: 'ready'; marker: Record<string, unknown> }
  | { state: 'waiting'; detail: string }
  | { state: 'failed'; detail: string };

/** Reads one probe's output. A finished boot without a marker is a failure: user data stopped early. */
export function interpretProbe(stdout: string): ProbeResult {
  const text = stdout.trim();
  if (text.startsWith('READY ')) {
    let marker: unknown;
    try {
      marker = JSON.parse(text.slice('READY '.length));
    } catch {
      return { state: 'failed', detail: `${READY_MARKER} is not JSON: ${text.slice(6, 200)}` };
    }
    if (marker === null || typeof marker !== 'object' || (marker as { readyz?: unknown }).readyz !== 'ok')
      return { state: 'failed', detail: `${READY_MARKER} does not say readyz ok: ${text.slice(6, 200)}` };
    return { state: 'ready', marker: marker as Record<string, unknown> };
  }
  const status = /status:\s*([a-z]+)/.exec(text)?.[1];
  if (status === 'error' || status === 'done' || status === 'disabled')
    return {
      state: 'failed',
      detail: `cloud-init finished (${status}) without writing ${READY_MARKER}: user data stopped before k3s was ready or a tool was installed. See /var/log/standby-user-data.log on the runner.`,
    };
  return { state: 'waiting', detail: text.replace(/^NOT_READY\s*/, '') || 'no output' };
}

/** Polls the marker until it is there, user data has failed, or the deadline passes. */
export async function waitForReadyMarker(
  ssm: SSMClient,
  instanceId: string,
  wait: Wait,
): Promise<{ result: ProbeResult; waitedMs: number }> {
  const started = wait.clock.now();
  for (;;) {
    let result: ProbeResult;
    try {
      const outcome = await runShellCommand(
        ssm,
        { instanceId, commands: READY_PROBE, timeoutSeconds: 30, comment: 'standby ready marker check' },
        {
          sleep: wait.clock.sleep,
          now: wait.clock.now,
          graceMs: 30_000,
          firstDelayMs: 500,
          maxDelayMs: 5_000,
        },
      );
      result =
        outcome.status === 'Success'
          ? interpretProbe(outcome.stdout)
          : { state: 'waiting', detail: `probe command ${outcome.status}` };
    } catch (error) {
      result = { state: 'waiting', detail: `probe failed: ${describeError(error)}` };
    }
    const waitedMs = wait.clock.now() - started;
    if (result.state !== 'waiting' || waitedMs + wait.pollMs > wait.timeoutMs) return { result, waitedMs };
    wait.progress(
      `ready marker on ${instanceId}: not yet (${result.detail}) after ${Math.round(waitedMs / 1000)}s; waiting (deadline ${Math.round(wait.timeoutMs / 1000)}s)`,
    );
    await wait.clock.sleep(wait.pollMs);
  }
}
