import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

// Phases read their inputs through PhaseIO and the host's environment through PhaseContext (run-phase.ts
// reads it once), so the CLI, the action and the tests drive a phase the same way (issue 21.9).
const PHASES = path.resolve('src/phases');

describe('phase code', () => {
  it('never reads process.env: only the host (run-phase.ts) does', () => {
    const readers = readdirSync(PHASES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((dir) =>
        readdirSync(path.join(PHASES, dir.name))
          .filter((file) => file.endsWith('.ts'))
          .map((file) => `${dir.name}/${file}`),
      )
      .filter((file) => /process\.env/.test(readFileSync(path.join(PHASES, file), 'utf8')));
    expect(readers).toEqual([]);
  });
});

describe('source comments', () => {
  it('cite only docs that exist', () => {
    const files = readdirSync(path.resolve('src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(ts|sh)$/.test(f),
    );
    const missing = files.flatMap((file) =>
      [...readFileSync(path.resolve('src', file), 'utf8').matchAll(/\bdocs\/([\w.-]+)/g)]
        .map((m) => `docs/${(m[1] as string).replace(/[.,]+$/, '')}`)
        .filter((doc) => !existsSync(path.resolve(doc)))
        .map((doc) => `${file}: ${doc}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('alarm names in docs and help', () => {
  it('are the alarms Terraform creates', () => {
    const tf = readdirSync(path.resolve('terraform/orchestrator'))
      .filter((f) => f.endsWith('.tf'))
      .map((f) => readFileSync(path.resolve('terraform/orchestrator', f), 'utf8'))
      .join('\n');
    // Literal names, and the per-target alarms' base names (targets.tf, local.alarm_names: the single
    // publisher's alarms carry exactly these; a declared target's add -<target>).
    const alarmNames = /alarm_names\s*=\s*\{([^}]*)\}/.exec(tf)?.[1] ?? '';
    const created = new Set([
      ...[...tf.matchAll(/alarm_name\s*=\s*"([^"$]+)"/g)].map((m) => m[1]),
      ...[...alarmNames.matchAll(/=\s*"(standby-[\w-]+)"/g)].map((m) => m[1]),
    ]);
    expect(created.size).toBeGreaterThan(2);
    const texts = [
      'README.md',
      ...readdirSync(path.resolve('docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
      'src/cli/commands/evidence.ts',
    ];
    const cited = texts.flatMap((file) =>
      [...readFileSync(path.resolve(file), 'utf8').matchAll(/--alarm-name\s+(standby-[\w-]+)/g)].map((m) => ({
        file,
        alarm: m[1] as string,
      })),
    );
    expect(cited.length).toBeGreaterThan(0);
    for (const c of cited) expect({ ...c, created: created.has(c.alarm) }).toEqual({ ...c, created: true });
  });
});

describe('counts the docs state', () => {
  it('the number of AWS SDK clients is what package.json depends on', () => {
    const dependencies = Object.keys(
      JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).dependencies,
    );
    const clients = dependencies.filter((name) => name.startsWith('@aws-sdk/client-')).length;
    const words = [
      'zero',
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
      'ten',
      'eleven',
      'twelve',
    ];
    // "of the eleven AWS SDK clients" (benchmarks.md), "the other eight SDK clients" next to the three it imports
    // (architecture.md).
    expect(readFileSync(path.resolve('docs/benchmarks.md'), 'utf8')).toContain(
      `of the ${words[clients]} AWS SDK clients`,
    );
    const architecture = readFileSync(path.resolve('docs/architecture.md'), 'utf8');
    expect(architecture).toContain('clients it imports (S3, STS, CloudWatch)');
    expect(architecture).toContain(`none of the other ${words[clients - 3]} SDK clients`);
  });
});
