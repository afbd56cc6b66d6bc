import { describe, expect, it } from '@jest/globals';
import { REDACTED, sanitize } from '../../src/receipts/sanitize.js';

describe('sanitize', () => {
  it('drops secret-named keys entirely, leaving no length behind', () => {
    const out = sanitize({
      'github-token': 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      kubeconfig: 'apiVersion: v1',
      ok: 'x',
    });
    expect(out).toEqual({ ok: 'x' });
    expect(JSON.stringify(out)).not.toMatch(/ghp_|apiVersion|\d{2}/);
  });

  it('redacts secret-looking values under innocent keys, at any depth', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWYifQ.c2lnbmF0dXJl';
    const out = sanitize({
      note: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      nested: [{ url: 'https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&X-Amz-Credential=x' }, { id: jwt }],
      key: 'AKIAABCDEFGHIJKLMNOP',
      pem: '-----BEGIN RSA PRIVATE KEY-----\nMII...',
      fine: 's3://bucket/backups/2026-11-20',
    }) as Record<string, unknown>;
    expect(out.note).toBe(REDACTED);
    expect(out.nested).toEqual([{ url: REDACTED }, { id: REDACTED }]);
    expect(out.fine).toBe('s3://bucket/backups/2026-11-20');
    expect(JSON.stringify(out)).not.toMatch(/AKIA|BEGIN RSA|eyJhbGci/);
  });

  it('keeps ordinary values and types', () => {
    expect(sanitize({ n: 3, b: false, nil: null, list: ['a'] })).toEqual({
      n: 3,
      b: false,
      nil: null,
      list: ['a'],
    });
  });
});
