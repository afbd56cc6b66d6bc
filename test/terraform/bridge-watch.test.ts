// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations such as ${var.x} are literal strings here
import { beforeAll, describe, expect, it } from '@jest/globals';
import { resource } from '../helpers/terraform-modules.js';
import { validationErrors } from './hcl-eval.js';
import { allowed } from './iam-eval.js';
import { ACCOUNT, KNOWN, type Orchestrator, orchestrator } from './orchestrator-fixture.js';

// An expired or revoked dispatch token must be found before an incident (issue 20.7): an alarm on the
// bridge's failed executions, and a monthly smoke test through the real bridge.
describe('the bridge is watched', () => {
  let o: Orchestrator;
  beforeAll(async () => {
    o = await orchestrator();
  });
  const machine = KNOWN['aws_sfn_state_machine.bridge.arn'] as string;

  it('standby-bridge-failed: AWS/States ExecutionsFailed of exactly this state machine, notifying SNS', () => {
    const block = resource(o.module, 'aws_cloudwatch_metric_alarm', 'bridge_failed');
    expect(o.value(block.namespace)).toBe('AWS/States');
    expect(o.value(block.metric_name)).toBe('ExecutionsFailed');
    expect(o.value(block.dimensions)).toEqual({ StateMachineArn: machine });
    expect(o.value('${local.state_machine_arn}')).toBe(machine); // the ARN the IAM policies name
    expect(o.value(block.statistic)).toBe('Sum');
    expect([o.value(block.comparison_operator), o.value(block.threshold)]).toEqual([
      'GreaterThanOrEqualToThreshold',
      1,
    ]);
    // No execution publishes no datapoint, which is health here.
    expect(o.value(block.treat_missing_data)).toBe('notBreaching');
    expect(o.value(block.actions_enabled)).toBe(true);
    expect(o.value(block.alarm_actions)).toEqual([KNOWN['aws_sns_topic.notifications.arn']]);
  });

  it('a bridge failure never starts DR itself: the EventBridge rule does not list it', () => {
    const rule = String(resource(o.module, 'aws_cloudwatch_event_rule', 'alarm').event_pattern);
    expect(rule).not.toContain('bridge_failed');
  });

  it('the smoke test starts the real state machine, monthly by default, with the smoke-test marker', () => {
    const schedule = resource(o.module, 'aws_scheduler_schedule', 'bridge_smoke_test');
    const target = schedule.target[0];
    expect(o.value(target.arn)).toBe(machine);
    expect(target.role_arn).toBe('${aws_iam_role.smoke_test.arn}');
    expect(JSON.parse(String(o.value(target.input)))).toEqual({
      standby_bridge_smoke_test: { scheduled_at: '<aws.scheduler.scheduled-time>' },
    });
    const expression = String(o.value(schedule.schedule_expression));
    // cron(minutes hours day-of-month month day-of-week year): one fixed day, every month.
    const [, fields] = /^cron\((.+)\)$/.exec(expression) ?? [];
    const [minute, hour, dayOfMonth, month, dayOfWeek, year] = String(fields).split(' ');
    expect([minute, hour, dayOfMonth, month, dayOfWeek, year].every((f) => f !== undefined)).toBe(true);
    expect(/^\d+$/.test(String(dayOfMonth)) && month === '*' && dayOfWeek === '?' && year === '*').toBe(true);
    expect(o.value(schedule.schedule_expression_timezone)).toBe('UTC');
    expect(schedule.state ?? 'ENABLED').toBe('ENABLED'); // not gated by enable_triggers
    expect(JSON.stringify(schedule)).not.toContain('enable_triggers');
  });

  it('the schedule role may start only the bridge, and only Scheduler of this account may assume it', () => {
    const policies = o.rolePolicies('aws_iam_role.smoke_test');
    expect(allowed(policies, { action: 'states:StartExecution', resource: machine })).toBe(true);
    const other = machine.replace('standby-dr-bridge', 'something-else');
    expect(allowed(policies, { action: 'states:StartExecution', resource: other })).toBe(false);
    expect(allowed(policies, { action: 'states:StopExecution', resource: machine })).toBe(false);
    const trust = [o.document('scheduler_assume')];
    const assume = (account: string) =>
      allowed(trust, {
        action: 'sts:AssumeRole',
        principal: { type: 'Service', id: 'scheduler.amazonaws.com' },
        context: { 'aws:SourceAccount': account },
      });
    expect([assume(ACCOUNT), assume('999999999999')]).toEqual([true, false]);
  });

  it.each([
    ['cron(0 9 1 * ? *)', true],
    ['cron(30 6 15 * ? *)', true],
    ['rate(30 days)', true],
    ['rate(1 hour)', true],
    ['rate(5 minutes)', false], // hundreds of dispatched runs a day for a token check
    ['0 9 1 * *', false], // a GitHub-style cron line is not a Scheduler expression
    ['cron()', false],
    ['', false],
  ])('bridge_smoke_test_schedule %j accepted: %s', (value, ok) => {
    expect(validationErrors(o.module, 'bridge_smoke_test_schedule', value, o.scope.vars).length === 0).toBe(
      ok,
    );
  });
});
