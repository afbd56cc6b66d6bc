import { describe, expect, it } from '@jest/globals';
import { imageDigest, parseRequestApprovalInputs } from '../../../src/phases/request-approval/inputs.js';

const parse = (image: string) =>
  parseRequestApprovalInputs((name) => ({ 'image-ref': image, environment: 'dr-promotion' })[name] ?? '');

describe('request-approval image-ref', () => {
  it('keeps a digest-pinned reference and exposes its digest', () => {
    const ref = `registry.example.com/jobintel@sha256:${'b'.repeat(64)}`;
    expect(parse(ref).imageRef).toBe(ref);
    expect(imageDigest(ref)).toBe(`sha256:${'b'.repeat(64)}`);
  });

  it('accepts a tag (reviewers are told it is not pinned) and an empty value', () => {
    expect(parse('registry.example.com/jobintel:2026.11').imageRef).toBe(
      'registry.example.com/jobintel:2026.11',
    );
    expect(imageDigest('registry.example.com/jobintel:2026.11')).toBeUndefined();
    expect(parse('').imageRef).toBeUndefined();
  });

  it.each([['jobintel; rm -rf /'], ['registry/repo@sha256:abc'], ['registry/repo@sha256:'], ['UPPER/Case']])(
    'refuses %p',
    (raw) => {
      expect(() => parse(raw)).toThrow(/input 'image-ref'/);
    },
  );
});
