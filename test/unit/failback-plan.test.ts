import { describe, expect, it } from '@jest/globals';
import { compareListings, isDivergent } from '../../src/failback/divergence.js';
import { gateFailback } from '../../src/failback/gate.js';
import { parseFailbackInputs } from '../../src/failback/inputs.js';
import { parseRunPrefixTemplate, pointerTargets, runPrefix } from '../../src/failback/layout.js';
import {
  type CapturedPointer,
  planFailback,
  sha256Hex,
  switchedPointerBody,
} from '../../src/failback/plan.js';
import type { Survey } from '../../src/failback/survey.js';

const context = {
  primaryRunId: 'run-41',
  drRunId: 'dr-42',
  executionId: 'fb-1',
  plannedAt: '2026-11-22T02:00:00.000Z',
};

function pointer(key: string, runId: string | undefined, problem?: string): CapturedPointer {
  const body = Buffer.from(JSON.stringify({ run_id: runId, ended_at: '2026-11-20T04:00:00Z' }));
  return {
    name: key,
    key,
    etag: `"${key}-etag"`,
    body,
    sha256: sha256Hex(body),
    runId,
    problem,
    content: runId ? { run_id: runId, ended_at: '2026-11-20T04:00:00Z' } : undefined,
  };
}

describe('planFailback', () => {
  it('plans every pointer from the DR run to the primary run, If-Match on the ETag it saw', () => {
    const decision = planFailback([pointer('a', 'dr-42'), pointer('b', 'dr-42')], context);
    expect(decision.kind).toBe('ready');
    if (decision.kind !== 'ready') return;
    expect(decision.changes.map((c) => [c.key, c.fromRunId, c.toRunId, c.etag])).toEqual([
      ['a', 'dr-42', 'run-41', '"a-etag"'],
      ['b', 'dr-42', 'run-41', '"b-etag"'],
    ]);
    expect(decision.changes[0]?.sha256).toBe(sha256Hex(decision.changes[0]?.body ?? ''));
  });

  it('refuses when any pointer names another run, is missing or unreadable, naming each one', () => {
    const decision = planFailback(
      [
        pointer('a', 'dr-42'),
        pointer('b', 'run-40'),
        pointer('c', undefined, 'pointer is missing'),
        pointer('d', 'run-41'),
      ],
      context,
    );
    expect(decision).toEqual({
      kind: 'refused',
      problems: [
        "b names run 'run-40', not the DR run 'dr-42'",
        'c: pointer is missing',
        "d already names the primary run 'run-41' (failed back before?)",
      ],
    });
  });

  it('the switched pointer keeps the other fields, sets run_id and records where it came from', () => {
    const body = switchedPointerBody({ run_id: 'dr-42', ended_at: 'x', failback: { old: true } }, context);
    expect(JSON.parse(body)).toEqual({
      run_id: 'run-41',
      ended_at: 'x',
      failback: { from_run_id: 'dr-42', execution_id: 'fb-1', planned_at: '2026-11-22T02:00:00.000Z' },
    });
    expect(switchedPointerBody({ run_id: 'dr-42', ended_at: 'x' }, context)).toBe(body);
  });
});

describe('compareListings', () => {
  it('lists keys missing on either side and keys whose size or ETag differ', () => {
    const primary = new Map([
      ['same', { size: 1, etag: '"e1"' }],
      ['gone', { size: 1, etag: '"e2"' }],
      ['size', { size: 1, etag: '"e3"' }],
      ['etag', { size: 1, etag: '"e4"' }],
    ]);
    const dr = new Map([
      ['same', { size: 1, etag: 'e1' }],
      ['new', { size: 1, etag: '"e5"' }],
      ['size', { size: 2, etag: '"e3"' }],
      ['etag', { size: 1, etag: '"e6"' }],
    ]);
    const divergence = compareListings(primary, dr);
    expect(divergence.onlyInPrimary).toEqual(['gone']);
    expect(divergence.onlyInDr).toEqual(['new']);
    expect(divergence.different.map((d) => d.key)).toEqual(['etag', 'size']);
    expect(isDivergent(divergence)).toBe(true);
    expect(
      isDivergent(
        compareListings(
          new Map([['same', { size: 1, etag: 'e' }]]),
          new Map([['same', { size: 1, etag: '"e"' }]]),
        ),
      ),
    ).toBe(false);
  });
});

describe('failback layout', () => {
  it('puts the provider pointers first and the global one last, and runs under the template', () => {
    const layout = {
      bucket: 'b',
      prefix: 'batch',
      pairs: ['z/p', 'a/p'],
      runPrefixTemplate: 'runs/{run_id}',
    };
    expect(pointerTargets(layout).map((t) => t.key)).toEqual([
      'batch/state/a/p/last_success.json',
      'batch/state/z/p/last_success.json',
      'batch/state/last_success.json',
    ]);
    expect(runPrefix(layout, 'run-1')).toBe('batch/runs/run-1/');
    expect(runPrefix({ ...layout, prefix: '', runPrefixTemplate: 'out/{run_id}/final' }, 'r')).toBe(
      'out/r/final/',
    );
  });

  it.each([
    ['', 'runs/{run_id}'],
    ['/published/{run_id}/', 'published/{run_id}'],
    ['{run_id}', '{run_id}'],
  ])('accepts the template %p', (raw, expected) => {
    expect(parseRunPrefixTemplate('run-prefix-template', raw)).toBe(expected);
  });

  it.each([
    ['runs/', /exactly once/],
    ['runs/{run_id}/{run_id}', /exactly once/],
    ['runs/v{run_id}', /whole path segment/],
    ['state/{run_id}', /state\/ or latest\//],
    ['runs/../{run_id}', /'\.\.' path segment/],
  ])('refuses the template %p', (raw, message) => {
    expect(() => parseRunPrefixTemplate('run-prefix-template', raw)).toThrow(message);
  });
});

describe('parseFailbackInputs', () => {
  const raw: Record<string, string> = {
    'publish-bucket': 'publisher',
    providers: 'acme/daily',
    'primary-run-id': 'run-41',
    'dr-run-id': 'dr-42',
    'execution-id': 'fb-1',
  };
  const parse = (overrides: Record<string, string>) =>
    parseFailbackInputs((name) => ({ ...raw, ...overrides })[name] ?? '');

  it('is a dry run unless apply is true', () => {
    expect(parse({}).apply).toBe(false);
    expect(parse({ apply: 'false' }).apply).toBe(false);
  });

  it('applying needs the DR run id typed again and a receipt bucket', () => {
    expect(() => parse({ apply: 'true' })).toThrow("input 'confirm': is required with --apply");
    expect(() => parse({ apply: 'true', confirm: 'dr-4' })).toThrow("'dr-4' is not the DR run id 'dr-42'");
    expect(() => parse({ apply: 'true', confirm: 'dr-42' })).toThrow("input 'receipt-bucket'");
    expect(parse({ apply: 'true', confirm: 'dr-42', 'receipt-bucket': 'receipts' }).receipts).toEqual({
      bucket: 'receipts',
      prefix: 'standby/receipts',
    });
  });

  it('refuses run ids that could leave their key segment, and the same id on both sides', () => {
    expect(() => parse({ 'primary-run-id': '../x' })).toThrow("input 'primary-run-id'");
    expect(() => parse({ 'dr-run-id': 'run-41' })).toThrow('is the same as primary-run-id');
    expect(() => parse({ apply: 'yes' })).toThrow("input 'apply': expected true or false");
  });
});

describe('gateFailback', () => {
  const survey = (overrides: Partial<Survey> = {}): Survey => ({
    pointers: [pointer('p', 'dr-42')],
    primaryPrefix: 'runs/run-41/',
    drPrefix: 'runs/dr-42/',
    primaryObjects: 2,
    drObjects: 2,
    divergence: { onlyInPrimary: [], onlyInDr: [], different: [] },
    ...overrides,
  });
  const options = { primaryRunId: 'run-41', drRunId: 'dr-42', acceptDivergence: false };
  const ready = planFailback([pointer('p', 'dr-42')], context);

  it('lets a clean plan through', () => {
    expect(gateFailback(survey(), ready, options)).toEqual({
      refusal: undefined,
      blocked: undefined,
      divergent: false,
    });
  });

  it('blocks a divergence unless accepted, and refuses an empty primary run', () => {
    const diverged = survey({ divergence: { onlyInPrimary: [], onlyInDr: ['x'], different: [] } });
    expect(gateFailback(diverged, ready, options).blocked).toContain(
      '0 only in primary, 1 only in DR, 0 different',
    );
    expect(gateFailback(diverged, ready, { ...options, acceptDivergence: true })).toMatchObject({
      blocked: undefined,
      divergent: true,
    });
    expect(gateFailback(survey({ primaryObjects: 0 }), ready, options).refusal).toContain(
      "the primary run 'run-41' has no published objects under runs/run-41/",
    );
  });
});
