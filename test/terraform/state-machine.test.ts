// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform template placeholders are literal strings
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { EMULATOR_ACCOUNT, useEmulator } from '../helpers/emulator.js';
import { type Asl, renderStateMachine, templatePlaceholders, validateAsl } from '../helpers/state-machine.js';
import { loadModule } from '../helpers/terraform-modules.js';
import { orchestrator } from './orchestrator-fixture.js';

const alarmEvent = JSON.parse(readFileSync(path.resolve('test/fixtures/alarm-state-change.json'), 'utf8'));
const sample = {
  dispatch_url: 'https://api.github.com/repos/acme/standby/actions/workflows/alarm.yml/dispatches',
  connection_arn: `arn:aws:events:us-east-1:${EMULATOR_ACCOUNT}:connection/standby-github-dispatch/5f0a2b1c-1111-2222-3333-444455556666`,
  workflow_ref: 'main',
  topic_arn: `arn:aws:sns:us-east-1:${EMULATOR_ACCOUNT}:standby-dr-notifications`,
};

describe('state machine definition (static)', () => {
  it('every placeholder is one that bridge.tf passes to templatefile, and back', async () => {
    const orchestrator = await loadModule('orchestrator');
    const definition = String(orchestrator.resources.aws_sfn_state_machine?.bridge?.definition);
    const passed = [...definition.matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1]).sort();
    expect(templatePlaceholders()).toEqual(passed);
    expect(passed).toEqual(Object.keys(sample).sort());
  });

  it('passes asl-validator once rendered (and the validator does catch a broken one)', () => {
    const definition = renderStateMachine(sample);
    const result = validateAsl(definition);
    expect(result.errors).toBe('');
    expect(result.isValid).toBe(true);
    const broken = structuredClone(definition);
    broken.States.IsAlarm.Choices[0].Next = 'NoSuchState';
    expect(validateAsl(broken).isValid).toBe(false);
  });

  it('dispatches through an HTTP task: POST to workflow_dispatch, token only via the connection', () => {
    const task = renderStateMachine(sample).States.DispatchWorkflow;
    expect(task.Type).toBe('Task');
    expect(task.Resource).toBe('arn:aws:states:::http:invoke');
    expect(task.Parameters.Method).toBe('POST');
    expect(task.Parameters.ApiEndpoint).toBe(sample.dispatch_url);
    expect(task.Parameters.Authentication).toEqual({ ConnectionArn: sample.connection_arn });
    expect(Object.keys(task.Parameters.Headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(task.Parameters.Headers['X-GitHub-Api-Version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(task.Parameters.RequestBody).toEqual({
      ref: 'main',
      inputs: {
        'alarm-name.$': '$.alarm.name',
        'alarm-changed-at.$': '$.alarm.changed_at',
        'dry-run.$': '$.dry_run',
      },
    });
    expect(task.TimeoutSeconds).toBeGreaterThan(0);
  });

  it('the dispatch URL in bridge.tf is GitHub workflow_dispatch for the configured workflow', async () => {
    const orchestrator = await loadModule('orchestrator');
    const url = orchestrator.locals.dispatch_url;
    expect(url).toBe(
      '${local.github_api_url}/repos/${local.repo_full}/actions/workflows/${var.alarm_workflow_file}/dispatches',
    );
  });

  it('retries 429 and every 5xx GitHub returns, with exponential backoff and jitter; anything else is caught to SNS', () => {
    const definition = renderStateMachine(sample);
    const task = definition.States.DispatchWorkflow;
    const retry = task.Retry[0];
    for (const code of [429, 500, 502, 503, 504])
      expect(retry.ErrorEquals).toContain(`States.Http.StatusCode.${code}`);
    expect(retry.BackoffRate).toBeGreaterThan(1);
    expect(retry.MaxAttempts).toBeGreaterThanOrEqual(3);
    expect(retry.JitterStrategy).toBe('FULL');
    expect(task.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyDispatchFailed' },
    ]);
    const notify = definition.States.NotifyDispatchFailed;
    expect(notify).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Next: 'DispatchFailed',
    });
    expect(notify.Parameters.TopicArn).toBe(sample.topic_arn);
    expect(definition.States.DispatchFailed.Type).toBe('Fail');
  });
});

/** The input bridge.tf's schedule sends, with Scheduler's <aws.scheduler.scheduled-time> filled in. */
async function smokeTestInput(scheduledAt: string): Promise<unknown> {
  const o = await orchestrator();
  const schedule = o.module.resources.aws_scheduler_schedule?.bridge_smoke_test;
  const input = String(o.value(schedule?.target[0].input));
  expect(input).toContain('<aws.scheduler.scheduled-time>');
  return JSON.parse(input.replace('<aws.scheduler.scheduled-time>', scheduledAt));
}

describe('state machine on the emulator (HTTP task replaced: moto has none)', () => {
  const emulator = useEmulator({ dedicated: true });
  const received: Record<string, unknown>[] = [];
  let server: Server;
  let endpoint = '';

  beforeAll(async () => {
    // An HTTP subscriber: moto delivers SNS notifications to it, so we see exactly what was published.
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    received.length = 0;
    await emulator.emulator().configure({ stepfunctions: { execute_state_machine: true } });
  });

  async function execute(dispatch: (task: Asl) => Asl, event: unknown) {
    const sns = new SNSClient({});
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'standby-dr-notifications' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    const definition = renderStateMachine({ ...sample, topic_arn: TopicArn as string });
    definition.States.DispatchWorkflow = dispatch(definition.States.DispatchWorkflow);
    const sfn = new SFNClient({});
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'standby-dr-bridge',
        definition: JSON.stringify(definition),
        roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/standby/standby-bridge-state-machine`,
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(event) }),
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') {
        const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
        const entered = (history.events ?? []).map((e) => e.stateEnteredEventDetails?.name).filter(Boolean);
        return { execution, entered };
      }
      if (Date.now() > deadline) throw new Error('execution still RUNNING after 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  // Stand-in for a 2xx from GitHub: the same ResultPath the real task writes.
  const accepted = (task: Asl): Asl => ({
    Type: 'Pass',
    Result: { status_code: 204 },
    ResultPath: task.ResultPath,
    Next: task.Next,
  });
  // Stand-in for a dispatch that errors: a Task that fails (SNS to a topic that does not exist), same Catch and
  // backoff. moto's parser rejects the States.Http.StatusCode.* names (it has no HTTP task), so they are left out.
  const rejected = (task: Asl): Asl => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: { TopicArn: `arn:aws:sns:us-east-1:${EMULATOR_ACCOUNT}:no-such-topic`, Message: 'x' },
    ResultPath: task.ResultPath,
    Retry: task.Retry.map((rule: Asl) => ({
      ...rule,
      ErrorEquals: rule.ErrorEquals.filter((name: string) => !name.startsWith('States.Http.')),
    })),
    Catch: task.Catch,
    Next: task.Next,
  });

  it('an alarm event is shaped into the dispatch payload and reaches the dispatch step', async () => {
    const { execution, entered } = await execute(accepted, alarmEvent);
    expect(execution.status).toBe('SUCCEEDED');
    expect(entered).toEqual(['IsSmokeTest', 'ShapeDispatch', 'IsAlarm', 'DispatchWorkflow', 'Dispatched']);
    const output = JSON.parse(execution.output as string);
    expect(output.alarm).toEqual({
      name: 'standby-pipeline-freshness',
      state: 'ALARM',
      reason: alarmEvent.detail.state.reason,
      changed_at: '2026-11-22T01:00:00Z',
      account: EMULATOR_ACCOUNT,
      region: 'us-east-1',
    });
    expect(output.dispatch).toEqual({ status_code: 204 });
    expect(output.dry_run).toBe('false');
    expect(output.execution).toBe(execution.executionArn);
    expect(received).toEqual([]);
  });

  it("the scheduled smoke test (bridge.tf's input) dispatches the real workflow as a dry run", async () => {
    const event = await smokeTestInput('2026-12-01T09:00:00Z');
    const { execution, entered } = await execute(accepted, event);
    expect(execution.status).toBe('SUCCEEDED');
    expect(entered).toEqual(['IsSmokeTest', 'ShapeSmokeTest', 'DispatchWorkflow', 'Dispatched']);
    const output = JSON.parse(execution.output as string);
    expect(output.dry_run).toBe('true');
    expect(output.alarm).toMatchObject({
      name: 'standby-bridge-smoke-test',
      changed_at: '2026-12-01T09:00:00Z',
    });
    expect(received).toEqual([]);
  });

  it('a smoke test whose dispatch fails (expired token) is notified and FAILS the execution (ExecutionsFailed)', async () => {
    const { execution, entered } = await execute(rejected, await smokeTestInput('2026-12-01T09:00:00Z'));
    expect(entered).toEqual([
      'IsSmokeTest',
      'ShapeSmokeTest',
      'DispatchWorkflow',
      'NotifyDispatchFailed',
      'DispatchFailed',
    ]);
    expect(execution.status).toBe('FAILED');
    expect(received).toHaveLength(1);
    const message = JSON.parse((received[0] as { Message: string }).Message);
    expect(message.alarm.name).toBe('standby-bridge-smoke-test');
  });

  it('a state change that is not ALARM ends without dispatching', async () => {
    const ok = structuredClone(alarmEvent);
    ok.detail.state.value = 'OK';
    const { execution, entered } = await execute(accepted, ok);
    expect(execution.status).toBe('SUCCEEDED');
    expect(entered).toEqual(['IsSmokeTest', 'ShapeDispatch', 'IsAlarm', 'NotAnAlarm']);
  });

  it('a failed dispatch is caught, published to SNS with the alarm and the error, and fails the execution', async () => {
    const { execution, entered } = await execute(rejected, alarmEvent);
    expect(entered).toEqual([
      'IsSmokeTest',
      'ShapeDispatch',
      'IsAlarm',
      'DispatchWorkflow',
      'NotifyDispatchFailed',
      'DispatchFailed',
    ]);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DispatchFailed');
    expect(received).toHaveLength(1);
    const notification = received[0] as { Subject: string; Message: string };
    expect(notification.Subject).toBe('standby: DR workflow dispatch failed');
    const message = JSON.parse(notification.Message);
    expect(message.event).toBe('dispatch_failed');
    expect(message.alarm.name).toBe('standby-pipeline-freshness');
    expect(message.error.Error).toEqual(expect.any(String));
    expect(message.execution).toBe(execution.executionArn);
  });
});
