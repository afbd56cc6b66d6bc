import { describe, expect, it } from '@jest/globals';
import type { RunApproval } from '../../../src/github/types.js';
import { fromWorkflow } from '../../../src/io/input-spec.js';
import { decidePromotion } from '../../../src/phases/promote/decision.js';
import { parseApiUrl, parsePromoteInputs } from '../../../src/phases/promote/inputs.js';
import { approval, environment, octocat } from '../../helpers/github-api.js';

const reviewer = { ...octocat, login: 'alice' };

describe('promotion decision', () => {
  it('records an approval as approved_but_auto_promote_disabled: nothing is promoted automatically', () => {
    const decision = decidePromotion(
      [approval('approved', 'Ship it', 'dr-promotion', reviewer)] as RunApproval[],
      'dr-promotion',
    );
    expect(decision).toEqual({
      status: 'approved_but_auto_promote_disabled',
      decidedBy: 'alice',
      comment: 'Ship it',
      state: 'approved',
    });
  });

  it('records a rejection as manual_promotion_rejected with its comment', () => {
    const decision = decidePromotion(
      [approval('rejected', 'backup too old')] as RunApproval[],
      'dr-promotion',
    );
    expect(decision?.status).toBe('manual_promotion_rejected');
    expect(decision?.comment).toBe('backup too old');
  });

  it('ignores other environments and pending comments', () => {
    const log = [
      approval('approved', 'other env', 'staging'),
      { ...approval('approved', 'just a note'), state: 'pending' },
    ] as RunApproval[];
    expect(decidePromotion(log, 'dr-promotion')).toBeUndefined();
  });

  it('takes the last decision for the environment when a re-run was reviewed again', () => {
    const log = [approval('rejected', 'first try'), approval('approved', 'after fix')] as RunApproval[];
    expect(decidePromotion(log, 'dr-promotion')?.state).toBe('approved');
    expect(environment('dr-promotion').name).toBe('dr-promotion');
  });
});

describe('promote inputs', () => {
  const inputs: Record<string, string> = {
    'github-token': 'ghs_exampletokenexampletoken1234',
    'run-id': '123456',
    repository: 'octo-org/octo-repo',
    environment: 'dr-promotion',
    ticket: 'CHG-42',
    'api-url': 'https://api.github.com',
  };
  const read = (over: Record<string, string>) => (name: string) => ({ ...inputs, ...over })[name] ?? '';

  it('parses a complete set', () => {
    const parsed = parsePromoteInputs(read({}));
    expect(parsed.runId).toBe(123456);
    expect(parsed.repository).toEqual({ owner: 'octo-org', repo: 'octo-repo' });
  });

  it('treats unevaluated workflow defaults as missing, naming the input', () => {
    expect(() => parsePromoteInputs(read({ 'run-id': fromWorkflow('github.run_id') }))).toThrow(
      "input 'run-id': is required outside GitHub Actions",
    );
    expect(() => parsePromoteInputs(read({ 'github-token': fromWorkflow('github.token') }))).toThrow(
      "input 'github-token'",
    );
  });

  it('refuses bad run ids, repositories and tickets', () => {
    expect(() => parsePromoteInputs(read({ 'run-id': '12abc' }))).toThrow("input 'run-id'");
    expect(() => parsePromoteInputs(read({ repository: 'octo-org/../x' }))).toThrow("input 'repository'");
    expect(() => parsePromoteInputs(read({ ticket: 'CHG-1\nInjected: yes' }))).toThrow("input 'ticket'");
  });

  it('sends the token only over https (loopback http allowed for a local stand-in)', () => {
    expect(parseApiUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/v3');
    expect(parseApiUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(() => parseApiUrl('http://api.github.com')).toThrow("input 'api-url'");
    expect(() => parseApiUrl('https://user:pw@api.github.com')).toThrow("input 'api-url'");
  });
});
