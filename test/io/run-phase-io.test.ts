import { describe, expect, it } from '@jest/globals';
import { MemoryIO } from '../../src/io/memory-io.js';
import { promote } from '../../src/phases/promote/index.js';
import { runPhase } from '../../src/phases/run-phase.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

/** What runPhase does with the IO seam for every phase: masks, groups, debug lines. */
describe('runPhase through the IO seam', () => {
  it('masks every input marked secret before the inputs are parsed, so a phase that fails on its inputs still masked it', async () => {
    const io = new MemoryIO({ 'execution-id': 'drill-7', 'github-token': TOKEN, 'run-id': 'not-a-number' });
    const run = await runPhase(promote, io, { env: {} });
    expect(run.result.status).toBe('failed');
    expect(run.result.failure?.reason).toBe('invalid_input');
    expect(io.masked).toEqual([TOKEN]);
  });

  it("folds the phase's own work under its title and leaves a debug line naming the execution", async () => {
    const groups: string[] = [];
    // Nothing listens on port 9 (discard): the phase fails at its first call, inside its group.
    const io = new MemoryIO({
      'execution-id': 'drill-7',
      'github-token': TOKEN,
      'run-id': '1',
      repository: 'octo-org/octo-repo',
      'api-url': 'http://127.0.0.1:9',
    });
    Object.assign(io, {
      group: async <T>(name: string, step: () => Promise<T>) => {
        groups.push(name);
        return step();
      },
    });
    const run = await runPhase(promote, io, { env: {} });
    expect(run.result.failure?.reason).not.toBe('invalid_input');
    expect(groups).toEqual([promote.title]);
    expect(io.logs).toContain('debug: promote: execution drill-7, receipts off');
  });
});
