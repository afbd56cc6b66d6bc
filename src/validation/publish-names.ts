import { InputError, quoted } from './errors.js';
import { parseList } from './primitives.js';

/** One path segment of the publisher's layout: a provider, a profile or a marker file name. */
export const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** provider/profile pairs (input `providers`): check-health and failback read the same list format. */
export function parsePairs(raw: string): string[] {
  const pairs = parseList(raw);
  if (pairs.length === 0) {
    throw new InputError('providers', "is empty: list at least one provider/profile pair, e.g. 'acme/daily'");
  }
  for (const pair of pairs) {
    const parts = pair.split('/');
    if (parts.length !== 2 || !parts.every((part) => SEGMENT.test(part) && part !== '.' && part !== '..')) {
      throw new InputError(
        'providers',
        `${quoted(pair)} is not provider/profile (letters, digits, . _ - on each side)`,
      );
    }
  }
  const duplicate = pairs.find((pair, i) => pairs.indexOf(pair) !== i);
  if (duplicate) throw new InputError('providers', `${quoted(duplicate)} is listed twice`);
  return pairs;
}
