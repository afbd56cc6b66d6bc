import { describe, expect, it } from '@jest/globals';
import { findSecrets, looksSecret, REDACTED, sanitize, sanitizeText } from '../../src/receipts/sanitize.js';
import { GH, HEX40, SHAPES } from '../helpers/secret-shapes.js';

/** The same secret in every place the sanitiser must look. */
const PLACEMENTS: Array<{ name: string; wrap: (text: string) => unknown }> = [
  { name: 'a nested object value', wrap: (text) => ({ outer: { inner: { note: text } } }) },
  { name: 'an array', wrap: (text) => ({ list: ['plain', [text], { x: text }] }) },
  {
    name: 'JSON inside a string',
    wrap: (text) => ({ details: JSON.stringify({ deep: { v: text }, n: 1 }) }),
  },
  { name: 'an object key', wrap: (text) => ({ map: { [text]: 'value' } }) },
];

describe('the sanitiser catches every secret shape wherever it sits', () => {
  for (const shape of SHAPES) {
    it(`${shape.name}: as text, keeping its shape`, () => {
      const out = sanitizeText(shape.text);
      for (const secret of shape.secrets) expect(out).not.toContain(secret);
      for (const kept of shape.keep) expect(out).toContain(kept);
      expect(out).toContain(REDACTED);
      expect(sanitizeText(out)).toBe(out); // idempotent
      if (shape.kind === 'url') expect(new URL(out).host).toBe(new URL(shape.text).host);
      if (shape.kind === 'json') expect(() => JSON.parse(out)).not.toThrow();
    });
    for (const place of PLACEMENTS) {
      it(`${shape.name}: in ${place.name}`, () => {
        const input = place.wrap(shape.text);
        const out = sanitize(input);
        const serialised = JSON.stringify(out);
        for (const secret of shape.secrets)
          expect(serialised).not.toContain(JSON.stringify(secret).slice(1, -1));
        expect(findSecrets(input).length).toBeGreaterThan(0);
        expect(findSecrets(out)).toEqual([]);
        expect(sanitize(out)).toEqual(out);
        if (place.name === 'JSON inside a string') {
          const details = JSON.parse((out as { details: string }).details);
          expect(details.n).toBe(1); // still parseable, other fields kept
        }
      });
    }
  }
});

describe('secret-named keys', () => {
  it('replace the value (strings and numbers, at any depth) and keep the key and the shape', () => {
    const out = sanitize({
      password: 'hunter2',
      clientSecret: 12345,
      'x-amz-security-token': 'abc',
      credentials: { AccessKeyId: 'x', SecretAccessKey: 'y', SessionToken: 'z', Expiration: 'soon' },
      tokens: ['a', 'b'],
      auth_required: false,
      author: 'alice',
      'role-session-name': 'standby-report-1',
      key: 'standby/receipts/drill-1/check-health.json',
    });
    expect(out).toEqual({
      password: REDACTED,
      clientSecret: REDACTED,
      'x-amz-security-token': REDACTED,
      credentials: {
        AccessKeyId: REDACTED,
        SecretAccessKey: REDACTED,
        SessionToken: REDACTED,
        Expiration: REDACTED,
      },
      tokens: [REDACTED, REDACTED],
      auth_required: false,
      author: 'alice',
      'role-session-name': 'standby-report-1',
      key: 'standby/receipts/drill-1/check-health.json',
    });
  });

  it('report where a secret was found and what it looked like, never the secret', () => {
    const hits = findSecrets({ a: [{ url: 'https://x.example.com/?token=abcdef123' }], password: 'p' });
    expect(hits).toEqual([
      { path: '$.a[0].url', kinds: ['secret parameter'] },
      { path: '$.password', kinds: ['secret-named key'] },
    ]);
    expect(JSON.stringify(hits)).not.toContain('abcdef123');
  });

  it('two secret keys in one object both survive as distinct keys', () => {
    const out = sanitize({ [GH('ghp_')]: 1, [GH('ghs_')]: 2 }) as Record<string, number>;
    expect(Object.values(out).sort()).toEqual([1, 2]);
    expect(Object.keys(out)).toEqual([REDACTED, `${REDACTED}#2`]);
  });
});

describe('what is not a secret stays byte for byte', () => {
  const keep: Array<[string, unknown]> = [
    [
      'a sha256 (receipt hashes, digests)',
      { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    ],
    ['an image digest', { 'image-ref': `registry.example.com/app@sha256:${'ab'.repeat(32)}` }],
    ['a commit under a commit key', { commit: HEX40, head_sha: HEX40 }],
    ['a commit named in text', { summary: `release 2026.11.3 (commit ${HEX40})` }],
    [
      'S3 URIs, ARNs, ids and times',
      {
        uri: 's3://standby-demo-backups/jobintel/backups/2026-11-20T000000Z',
        arn: 'arn:aws:sns:us-east-1:123456789012:standby-demo-notifications',
        instance: 'i-0123456789abcdef0',
        at: '2026-11-21T16:04:11.903114-05:00',
        id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      },
    ],
    [
      'a run URL and reason codes',
      { 'run-url': 'https://github.com/o/r/actions/runs/123', reasons: [{ code: 'stale', subject: 'x' }] },
    ],
    ['a base64 S3 checksum', { checksum: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }],
    ['prose that mentions tokens', { message: 'Basic authentication failed: the token expired, renew it' }],
    [
      'already redacted text',
      { message: `token: ${REDACTED}, url https://x.example.com/?token=${REDACTED}` },
    ],
    ['plain values and types', { n: 3, b: false, nil: null, list: ['a'], nested: '{"a":1}' }],
  ];
  for (const [name, value] of keep) {
    it(name, () => {
      expect(sanitize(value)).toEqual(value);
      expect(findSecrets(value)).toEqual([]);
    });
  }

  it('looksSecret is true exactly when something would be replaced', () => {
    expect(looksSecret('s3://bucket/key')).toBe(false);
    expect(looksSecret(`see ${GH('ghp_')}`)).toBe(true);
  });
});
