import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';

/**
 * The local drill starts the way a real alarm-started run does: the NeedsDR alarm goes OK → ALARM, and
 * back to OK at the end. It uses SetAlarmState, the documented way to exercise an alarm. moto serves no
 * DescribeAlarmHistory, so each change is read back with DescribeAlarms and recorded as observed.
 */
export interface AlarmObservation {
  state: StateValue;
  previous: StateValue;
  reason: string;
  at: Date;
}

export class DrillAlarm {
  readonly observed: AlarmObservation[] = [];
  #state: StateValue = 'INSUFFICIENT_DATA';

  constructor(
    private readonly cloudwatch: CloudWatchClient,
    readonly name: string,
    private readonly dimensions: { Name: string; Value: string }[],
  ) {}

  async create(): Promise<void> {
    await this.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: this.name,
        Namespace: 'Standby/Pipeline',
        MetricName: 'NeedsDR',
        Dimensions: this.dimensions,
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'breaching',
      }),
    );
  }

  async set(state: StateValue, reason: string): Promise<AlarmObservation> {
    await this.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: this.name, StateValue: state, StateReason: reason }));
    const alarm = (await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [this.name] }))).MetricAlarms?.[0];
    if (!alarm?.StateValue) throw new Error(`alarm ${this.name} not found after SetAlarmState`);
    const observation = { state: alarm.StateValue, previous: this.#state, reason: alarm.StateReason ?? reason, at: alarm.StateUpdatedTimestamp ?? new Date() };
    this.#state = alarm.StateValue;
    this.observed.push(observation);
    return observation;
  }

  /** The observations in `aws cloudwatch describe-alarm-history` output shape: newest first, HistoryData a JSON string. */
  historyDocument(): string {
    const items = [...this.observed].reverse().map((o) => ({
      AlarmName: this.name,
      AlarmType: 'MetricAlarm',
      Timestamp: o.at.toISOString(),
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${o.previous} to ${o.state} (observed by standby drill --local with DescribeAlarms: the emulator serves no DescribeAlarmHistory)`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: o.previous },
        newState: { stateValue: o.state, stateReason: o.reason },
      }),
    }));
    return `${JSON.stringify({ AlarmHistoryItems: items }, null, 2)}\n`;
  }
}
