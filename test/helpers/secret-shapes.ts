/**
 * The one table of secret shapes: the sanitiser itself, `standby logs redact` and the receipt store are all
 * tested against every row. `text` is how a secret appears; `secrets` are the parts that must vanish;
 * `keep` are parts that must survive (the shape: host, parameter names, field names).
 */
export interface Shape {
  name: string;
  text: string;
  secrets: string[];
  keep: string[];
  /** The sanitised text must still parse as this kind. */
  kind?: 'url' | 'json';
}

export const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY9EXAMPLEKy';
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDk${'Zx7a'.repeat(30)}`;
export const HEX40 = '3f786850e387550fdab836ed7e6dc881de23001b';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWY6cmVmcy9oZWFkcy9tYWluIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';
export const GH = (prefix: string) => `${prefix}${'A1b2C3d4E5f6G7h8I9j0'}KLMNOPQRSTUVWXYZab`;
const PEM_BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw';

const SLACK_SERVICES = 'https://hooks.slack.com/services/T0123456789/B1001010101/7IsoQTrixdUtE971O1xQTm4T';
const SLACK_TRIGGER =
  'https://hooks.slack.com/triggers/T0123456789/1234567890123/0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const K3S_PASSWORD = '9f86d081884c7d659a2feaa0c55ad015';
const K3S_TOKEN = `K10${'4f2c'.repeat(16)}::server:${K3S_PASSWORD}`;
const SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
const PRESIGNED =
  'https://b.s3.us-east-1.amazonaws.com/k.tar.zst?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261121T210000Z' +
  `&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIGNATURE}`;

export const SHAPES: Shape[] = [
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
  // Issue 19.10: six shapes that leaked on 295db39.
  {
    name: 'Slack incoming webhook URL',
    text: `posting to ${SLACK_SERVICES} failed`,
    secrets: ['T0123456789/B1001010101/7IsoQTrixdUtE971O1xQTm4T', '7IsoQTrixdUtE971O1xQTm4T'],
    keep: ['posting to https://hooks.slack.com/services/', ' failed'],
  },
  {
    name: 'Slack workflow trigger URL',
    text: SLACK_TRIGGER,
    secrets: ['1234567890123/0a1b2c3d4e5f60718293a4b5c6d7e8f9'],
    keep: ['https://hooks.slack.com/triggers/'],
    kind: 'url',
  },
  {
    name: 'k3s node token (secure format)',
    text: `agent joined with ${K3S_TOKEN} (from /var/lib/rancher/k3s/server/node-token)`,
    secrets: [K3S_PASSWORD],
    keep: [`agent joined with K10${'4f2c'.repeat(16)}::server:[redacted] (from`],
  },
  {
    name: 'GitHub token right after an underscore',
    text: `export GH_${GH('ghs_')}`,
    secrets: [GH('ghs_').slice(4)],
    keep: ['export GH_'],
  },
  {
    name: 'presigned URL with its = URL-encoded',
    text: `GET https://app.example.com/dl?next=${encodeURIComponent(PRESIGNED)} 302`,
    secrets: ['AKIAIOSFODNN7EXAMPLE', SIGNATURE],
    keep: ['GET https://app.example.com/dl?next=', 'X-Amz-Signature%3D', 'X-Amz-Date%3D20261121T210000Z'],
  },
  {
    name: 'quoted AWS_SECRET_ACCESS_KEY=<key> in free text',
    text: `the step ran with "AWS_SECRET_ACCESS_KEY=${AWS_SECRET}" set`,
    secrets: [AWS_SECRET],
    keep: ['"AWS_SECRET_ACCESS_KEY=[redacted]" set'],
  },
  {
    name: 'quoted AWS_SECRET_ACCESS_KEY=<short key> in free text',
    text: "env: 'AWS_SECRET_ACCESS_KEY=short-Secret-1' (from .env)",
    secrets: ['short-Secret-1'],
    keep: ["'AWS_SECRET_ACCESS_KEY=[redacted]' (from .env)"],
  },
  {
    name: '"token: <value>" in a JSON string within free text',
    text: 'webhook refused: {"status":401,"detail":"token: s3cr3tTokenValue99"} retrying',
    secrets: ['s3cr3tTokenValue99'],
    keep: ['{"status":401,"detail":"token: [redacted]"} retrying'],
  },
];
