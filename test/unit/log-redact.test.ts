import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { redactDocument, redactText } from '../../src/logs/redact.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/aws/${name}`, import.meta.url), 'utf8');

/** Every key path in a JSON value, so "shape kept" can be compared exactly. */
function shape(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => shape(v, `${path}[${i}]`))];
  if (value !== null && typeof value === 'object')
    return [path, ...Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`))];
  return [`${path}:${value === null ? 'null' : typeof value}`];
}

describe('redacting pagination tokens', () => {
  it('redacts nextForwardToken and nextBackwardToken of get-log-events output and keeps the shape', () => {
    const original = JSON.parse(fixture('get-log-events.json'));
    const { document, count } = redactDocument(original, { sanitizeMessages: false });
    const out = document as typeof original;
    expect(out.nextForwardToken).toBe('[redacted]');
    expect(out.nextBackwardToken).toBe('[redacted]');
    expect(out.events).toEqual(original.events);
    expect(shape(out)).toEqual(shape(original));
    expect(count).toEqual({ tokens: 2, messages: 0 });
  });

  it('redacts tokens at any depth, of any case and type, and leaves null tokens null', () => {
    const original = JSON.parse(fixture('filter-log-events-pages.json'));
    const { text, count } = redactText(fixture('filter-log-events-pages.json'), { sanitizeMessages: true });
    const out = JSON.parse(text);
    expect(out.pages[0].nextToken).toBe('[redacted]');
    expect(out.pages[1].nextToken).toBeNull();
    expect(out.meta.nested).toEqual([{ NextToken: '[redacted]' }, { nextPageToken: '[redacted]' }]);
    expect(out.pages[0].events).toEqual(original.pages[0].events);
    expect(text).not.toContain('Bxkq6kVGFtq2y');
    expect(count.tokens).toBe(3);
  });

  it('replaces the secret inside a message when asked (the rest of the message stays), and only then', () => {
    const sanitized = JSON.parse(redactText(fixture('get-log-events.json'), { sanitizeMessages: true }).text);
    expect(sanitized.events.map((e: { message: string }) => e.message)).toEqual([
      'restore: downloaded state.tar.zst (sha256 verified)',
      'restore: applied 14 manifests',
      'Authorization: Bearer [redacted]',
    ]);
    expect(JSON.stringify(sanitized)).not.toMatch(/ghs_/);
    const kept = JSON.parse(redactText(fixture('get-log-events.json'), { sanitizeMessages: false }).text);
    expect(kept.events[2].message).toMatch(/^Authorization: Bearer ghs_/);
  });

  it('uses the one sanitiser: JSON log lines stay JSON, URLs stay URLs, secret keys go', () => {
    const events = {
      events: [
        {
          message:
            '{"level":"error","password":"hunter2","url":"https://x.example.com/?access_token=abc123xyz"}',
        },
        { message: 'GET https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123456789 403' },
      ],
      nextToken: 'f/123',
    };
    const { document, count } = redactDocument(events, { sanitizeMessages: true });
    const out = document as typeof events;
    expect(JSON.parse(out.events[0]?.message ?? '')).toEqual({
      level: 'error',
      password: '[redacted]',
      url: 'https://x.example.com/?access_token=[redacted]',
    });
    expect(out.events[1]?.message).toBe('GET https://b.s3.amazonaws.com/k?X-Amz-Signature=[redacted] 403');
    expect(count).toEqual({ tokens: 1, messages: 2 });
  });

  it('is idempotent: redacting its own output changes nothing and counts nothing new', () => {
    for (const name of ['get-log-events.json', 'filter-log-events-pages.json']) {
      const once = redactText(fixture(name), { sanitizeMessages: true });
      const twice = redactText(once.text, { sanitizeMessages: true });
      expect(twice.text).toBe(once.text);
      expect(twice.count).toEqual({ tokens: 0, messages: 0 });
    }
  });

  it('refuses text that is not JSON with a message saying what it reads', () => {
    expect(() => redactText('nextToken=abc', { sanitizeMessages: true })).toThrow(
      /not JSON .*logs redact reads JSON/,
    );
  });
});
