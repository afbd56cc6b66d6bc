import { describe, expect, it } from '@jest/globals';
import { findSecrets, looksSecret, REDACTED, sanitize, sanitizeText } from '../../src/receipts/sanitize.js';

/**
 * Every secret shape the sanitiser must catch. `text` is how it appears; `secrets` are the parts that must
 * vanish; `keep` are parts that must survive (the shape: host, parameter names, field names).
 */
interface Shape {
  name: string;
  text: string;
  secrets: string[];
  keep: string[];
  /** The sanitised text must still parse as this kind. */
  kind?: 'url' | 'json';
}

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY9EXAMPLEKy';
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDk${'Zx7a'.repeat(30)}`;
const HEX40 = '3f786850e387550fdab836ed7e6dc881de23001b';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWY6cmVmcy9oZWFkcy9tYWluIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';
const GH = (prefix: string) => `${prefix}${'A1b2C3d4E5f6G7h8I9j0'}KLMNOPQRSTUVWXYZab`;
const PEM_BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw';

const SHAPES: Shape[] = [
  { name: 'AWS secret access key value', text: AWS_SECRET, secrets: [AWS_SECRET], keep: [] },
  {
    name: 'AWS secret key in ENV form',
    text: `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
    secrets: [AWS_SECRET],
    keep: ['AWS_SECRET_ACCESS_KEY='],
  },
  { name: 'AWS session token', text: SESSION_TOKEN, secrets: [SESSION_TOKEN.slice(0, 40)], keep: [] },
  { name: 'AWS access key id', text: 'AKIAIOSFODNN7EXAMPLE', secrets: ['AKIAIOSFODNN7EXAMPLE'], keep: [] },
  {
    name: '?token= in a URL',
    text: 'https://hooks.example.com/notify?token=s3cr3tT0ken99&channel=dr',
    secrets: ['s3cr3tT0ken99'],
    keep: ['https://hooks.example.com/notify?token=', '&channel=dr'],
    kind: 'url',
  },
  {
    name: '?access_token= (and id_token in a fragment) in a URL',
    text: 'https://app.example.com/cb?state=x1&access_token=ya29.A0ARrdaM-secret#id_token=abc.def.ghi',
    secrets: ['ya29.A0ARrdaM-secret', 'abc.def.ghi'],
    keep: ['state=x1', 'access_token=', 'id_token='],
    kind: 'url',
  },
  {
    name: 'user:password@ in a URL',
    text: 'https://deploy:hunter2-Pa55@git.example.com/org/repo.git',
    secrets: ['hunter2-Pa55'],
    keep: ['https://deploy:', '@git.example.com/org/repo.git'],
    kind: 'url',
  },
  {
    name: 'password inside a JSON string',
    text: '{"user":"bob","password":"hunter2","nested":{"clientSecret":"abc"}}',
    secrets: ['hunter2', '"abc"'],
    keep: ['"user":"bob"', '"password"', '"clientSecret"'],
    kind: 'json',
  },
  {
    name: 'password in a JSON fragment inside prose',
    text: 'request failed: {"user":"bob","password":"hunter2" (truncated',
    secrets: ['hunter2'],
    keep: ['"password":"[redacted]"'],
  },
  { name: '40-hex token', text: HEX40, secrets: [HEX40], keep: [] },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'].map((prefix) => ({
    name: `GitHub token ${prefix}`,
    text: `token is ${GH(prefix)} here`,
    secrets: [GH(prefix).slice(prefix.length)],
    keep: ['token is', 'here'],
  })),
  { name: 'JWT', text: JWT, secrets: [JWT.split('.')[1] as string], keep: [] },
  {
    name: 'Bearer header',
    text: 'Authorization: Bearer abcDEF123456.ghi-789',
    secrets: ['abcDEF123456.ghi-789'],
    keep: ['Authorization: Bearer '],
  },
  ...['RSA ', 'EC ', 'OPENSSH ', ''].map((kind) => ({
    name: `${kind || 'PKCS#8 '}private key`,
    text: `-----BEGIN ${kind}PRIVATE KEY-----\n${PEM_BODY}\n-----END ${kind}PRIVATE KEY-----\n`,
    secrets: [PEM_BODY],
    keep: [`-----BEGIN ${kind}PRIVATE KEY-----`, `-----END ${kind}PRIVATE KEY-----`],
  })),
  {
    name: 'kubeconfig credentials',
    text: [
      'apiVersion: v1',
      'clusters:',
      '- cluster: {server: "https://10.0.0.1:6443"}',
      'users:',
      '- name: admin',
      '  user:',
      '    client-certificate-data: LS0tLS1CRUdJTiBDRVJU',
      '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=',
      '    token: kubeTokenValue.123456',
      '    password: "kube-admin-pass"',
    ].join('\n'),
    secrets: ['LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=', 'kubeTokenValue.123456', 'kube-admin-pass'],
    keep: ['server: "https://10.0.0.1:6443"', 'client-key-data: ', 'token: ', 'password: "'],
  },
  {
    name: 'presigned URL (SigV4)',
    text:
      'https://b.s3.us-east-1.amazonaws.com/k.tar.zst?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261121T210000Z' +
      '&X-Amz-Expires=3600&X-Amz-Security-Token=FwoGZXIvYXdzEJr%2F%2F%2FsessionPart&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    secrets: [
      'AKIAIOSFODNN7EXAMPLE',
      'FwoGZXIvYXdzEJr',
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    ],
    keep: [
      'https://b.s3.us-east-1.amazonaws.com/k.tar.zst?',
      'X-Amz-Date=20261121T210000Z',
      'X-Amz-Signature=',
    ],
    kind: 'url',
  },
  {
    name: 'presigned URL (legacy Signature=)',
    text: 'https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1795000000&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D',
    secrets: ['AKIAIOSFODNN7EXAMPLE', 'vjbyPxybdZaNmGa'],
    keep: ['Expires=1795000000', 'Signature='],
    kind: 'url',
  },
  {
    name: 'SigV4 Authorization header and canonical request',
    text: `Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261121/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024\nx-amz-security-token:${SESSION_TOKEN}`,
    secrets: [
      'AKIAIOSFODNN7EXAMPLE',
      'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
      SESSION_TOKEN.slice(0, 30),
    ],
    keep: ['SignedHeaders=host;x-amz-date', 'x-amz-security-token:'],
  },
];

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
