import { findSecrets } from '../receipts/sanitize.js';
import type { BundleFile, Finding } from './bundle.js';

/**
 * Every file of the bundle through the sanitiser's eyes: a receipt, an alarm history or collection.json
 * that holds something the sanitiser would replace is a problem, named by file, JSON path and kind of
 * secret (never the secret itself). Receipts are sanitised when written, so a hit there means a receipt
 * written by something else (an older version, or a hand).
 */
export function scanForSecrets(files: BundleFile[]): Finding[] {
  return files.flatMap((file) => {
    const text = file.body.toString('utf8');
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: scan the text itself
    }
    const hits = findSecrets(value);
    if (hits.length === 0) return [];
    const where = hits.map((hit) => `${hit.path} (${hit.kinds.join(', ')})`).join('; ');
    return [
      {
        code: 'secret-in-bundle',
        message: `${file.path} holds what looks like a secret at ${where}: remove it from the source and rotate it`,
        path: file.path,
      },
    ];
  });
}
