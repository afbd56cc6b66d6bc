import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CLIENT_PACKAGES, PHASE_CLIENTS, VALID_INPUTS } from '../../bench/phase-start.js';
import { AwsClients } from '../../src/aws/clients.js';
import { MemoryIO } from '../../src/io/memory-io.js';
import { ensureBucket } from '../../src/local/demo-publisher.js';
import { loadPhase } from '../../src/phases/load-phase.js';
import type { PhaseDefinition } from '../../src/phases/phase.js';
import { findPhase, phaseCatalog } from '../../src/phases/registry.js';
import { runPhase } from '../../src/phases/run-phase.js';
import { S3ReceiptStore } from '../../src/receipts/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { staticClosure } from '../helpers/import-graph.js';

// Issue 24.4: a phase validates its inputs before it loads its code (the chunk with its AWS SDK clients),
// so an action given bad input fails as fast as a light one.

useEmulator();

const names = phaseCatalog.map((phase) => phase.name);
const relative = (files: Set<string>) => [...files].map((file) => path.relative(process.cwd(), file));
const heavy = (pkg: string) =>
  pkg.startsWith('@aws-sdk/') || pkg.startsWith('@octokit/') || pkg === '@actions/github';

describe('what a phase loads before its inputs are valid', () => {
  it.each(names)('%s: its definition and input parsers load no SDK and no run code', (name) => {
    const { files, packages } = staticClosure(`src/phases/${name}/index.ts`);
    expect([...packages].filter(heavy)).toEqual([]);
    expect(relative(files).filter((f) => /^src\/phases\/[^/]+\/run\.ts$/.test(f))).toEqual([]);
  });

  it('an action entry (runner, catalogue, runPhase) loads no AWS SDK client before the inputs are read', () => {
    const { files, packages } = staticClosure('src/action.ts');
    expect([...packages].filter(heavy)).toEqual([]);
    expect(relative(files)).toEqual(expect.arrayContaining(['src/phases/run-phase.ts']));
    expect(relative(files)).not.toContain('src/aws/clients.ts');
    expect(relative(files)).not.toContain('src/receipts/writer.ts');
  });

  it('an action entry loads its own phase definition only, not the catalogue of fifteen', () => {
    const loaded = relative(staticClosure('src/action.ts').files);
    expect(loaded).toContain('src/phases/load-phase.ts');
    expect(loaded).not.toContain('src/phases/registry.ts');
    expect(loaded.filter((f) => /^src\/phases\/[^/]+\/index\.ts$/.test(f))).toEqual([]);
  });

  // Issue 24.4, third step: zod (its module and the schemas built with it) is off the path to the account
  // guard's STS call. Output schemas load when a phase's outputs are checked, the receipt envelope's when
  // the store reads or writes; a phase's run code may still use zod (it loads while STS answers).
  it.each([
    'src/action.ts',
    'src/aws/clients.ts',
    'src/aws/account-guard.ts',
    'src/receipts/writer.ts',
    ...names.map((name) => `src/phases/${name}/index.ts`),
  ])('%s loads no zod', (entry) => {
    const { files, packages } = staticClosure(entry);
    expect([...packages].filter((pkg) => pkg === 'zod' || pkg.startsWith('zod/'))).toEqual([]);
    expect(relative(files).filter((f) => /\/outputs\.ts$|receipts\/envelope\.ts$/.test(f))).toEqual([]);
  });

  // Fourth step: a phase's run code loads no zod either (report schemas, earlier phases' output schemas,
  // metadata.json's and the signature's schemas load when the phase reads them).
  it.each(names)('%s: its run code loads no zod', (name) => {
    const { files, packages } = staticClosure(`src/phases/${name}/run.ts`);
    expect([...packages].filter((pkg) => pkg === 'zod' || pkg.startsWith('zod/'))).toEqual([]);
    expect(relative(files).filter((f) => /phases\/[^/]+\/outputs\.ts$|-report\.ts$/.test(f))).toEqual([]);
  });

  it.each(names)('%s: loadPhase gives the definition of the catalogue', async (name) => {
    expect(await loadPhase(name)).toBe(findPhase(name));
  });

  it('loadPhase refuses an unknown phase as findPhase does', async () => {
    const message = (() => {
      try {
        findPhase('deploy');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    await expect(loadPhase('deploy')).rejects.toThrow(message);
    await expect(loadPhase('toString')).rejects.toThrow("unknown phase 'toString'");
  });
});

/** The phase as registered, with a load() that counts its calls and fails (the code must not be needed). */
function counted(phase: PhaseDefinition) {
  const calls = { load: 0 };
  const definition: PhaseDefinition = {
    ...phase,
    load: () => {
      calls.load++;
      throw new Error(`${phase.name}: code loaded`);
    },
  };
  return { definition, calls };
}

async function receiptsOf(executionId: string) {
  const location = { bucket: 'receipts', prefix: 'standby/receipts', executionId };
  return new S3ReceiptStore(new AwsClients().s3, location).list();
}

describe('runPhase parses the inputs before it loads the code', () => {
  it.each(names)(
    '%s: loads its code only for valid inputs; invalid ones still leave their failed receipt',
    async (name) => {
      const phase = phaseCatalog.find((p) => p.name === name) as PhaseDefinition;
      const { definition, calls } = counted(phase);
      await ensureBucket(new AwsClients().s3, 'receipts');
      const io = new MemoryIO({ 'execution-id': `light-${name}`, 'receipt-bucket': 'receipts' });
      const valid = (() => {
        try {
          phase.parseInputs((input) => phase.inputs[input]?.default ?? '');
          return !Object.values(phase.inputs).some((spec) => spec.required);
        } catch {
          return false;
        }
      })();
      const run = await runPhase(definition, io, { aws: new AwsClients(), env: {} });
      expect(run.result.status).toBe('failed');
      const receipts = await receiptsOf(`light-${name}`);
      expect(receipts.map((r) => [r.receipt?.status, r.receipt?.error?.reason])).toEqual([
        ['failed', valid ? 'error' : 'invalid_input'],
      ]);
      // Inputs valid as given (defaults only): the code is loaded, and its failure to load is the receipt's.
      expect(calls.load).toBe(valid ? 1 : 0);
      if (valid) expect(run.result.failure?.message).toContain('code loaded');
    },
  );

  it('a missing execution-id fails before any AWS client or phase code is loaded, with no receipt', async () => {
    const phase = phaseCatalog.find((p) => p.name === 'restore') as PhaseDefinition;
    const { definition, calls } = counted(phase);
    const io = new MemoryIO({ 'receipt-bucket': 'receipts', 'instance-id': 'i-0123456789abcdef0' });
    const run = await runPhase(definition, io, { env: {} });
    expect(run.result.failure?.reason).toBe('invalid_input');
    expect(run.result.failure?.message).toContain("input 'execution-id'");
    expect(run.receipt).toBeUndefined();
    expect(calls.load).toBe(0);
  });

  it("sends the account guard's STS call before it loads the phase's code, and its output schema only after the run", async () => {
    const phase = phaseCatalog.find((p) => p.name === 'resolve-runner') as PhaseDefinition;
    const order: string[] = [];
    const definition: PhaseDefinition = {
      ...phase,
      load: async () => {
        order.push('code loaded');
        return {
          run: async () => {
            order.push('run');
            return { status: 'ok', outputs: {}, summary: '' };
          },
        };
      },
      loadOutputSchema: async () => {
        order.push('output schema loaded');
        return phase.loadOutputSchema();
      },
    };
    const aws = new AwsClients();
    aws.sts.middlewareStack.add(
      (next) => async (args) => {
        order.push('STS request sent');
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'testSent' },
    );
    await ensureBucket(aws.s3, 'receipts');
    const io = new MemoryIO({ 'execution-id': 'light-order', 'receipt-bucket': 'receipts' });
    const run = await runPhase(definition, io, { aws, env: {} });
    expect(run.result.status).toBe('ok');
    expect(order).toEqual(['STS request sent', 'code loaded', 'run', 'output schema loaded']);
  });

  it('a rehearsal that does not run the phase does not load its code', async () => {
    const phase = phaseCatalog.find((p) => p.name === 'bringup') as PhaseDefinition;
    const { definition, calls } = counted(phase);
    await ensureBucket(new AwsClients().s3, 'receipts');
    const io = new MemoryIO({ 'execution-id': 'light-skip', 'receipt-bucket': 'receipts' });
    const run = await runPhase(definition, io, {
      aws: new AwsClients(),
      env: {},
      notRunReason: 'needs real EC2',
    });
    expect(run.result.status).toBe('skipped');
    expect(calls.load).toBe(0);
  });
});

describe('bench/phase-start.ts (what bench/start-floor.ts starts each phase with, and its floor)', () => {
  it('names every phase of the catalogue, and no other', () => {
    expect(Object.keys(VALID_INPUTS).sort()).toEqual([...names].sort());
    expect(Object.keys(PHASE_CLIENTS).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s: the floor constructs the SDK clients the phase loads as it starts', (name) => {
    const imported = new Map<string, string>();
    for (const entry of [`src/phases/${name}/run.ts`, 'src/aws/clients.ts'])
      for (const file of staticClosure(entry).files)
        for (const [, names, pkg] of readFileSync(file, 'utf8').matchAll(
          /import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g,
        ))
          for (const client of (names as string).split(',').map((n) => n.trim()))
            if (/^[A-Z]\w*Client$/.test(client)) imported.set(client, pkg as string);
    expect(PHASE_CLIENTS[name]).toEqual([...imported.keys()].sort());
    for (const [client, pkg] of imported) expect(CLIENT_PACKAGES[client]).toBe(pkg);
  });

  it.each(names)(
    '%s: its inputs there are valid, so the bench measures a start past the input checks',
    (name) => {
      const phase = phaseCatalog.find((p) => p.name === name) as PhaseDefinition;
      const given = VALID_INPUTS[name] ?? {};
      const missing = Object.entries(phase.inputs).filter(([input, spec]) => spec.required && !given[input]);
      expect(missing.map(([input]) => input)).toEqual([]);
      expect(() =>
        phase.parseInputs((input) => given[input] || phase.inputs[input]?.default || ''),
      ).not.toThrow();
    },
  );
});
