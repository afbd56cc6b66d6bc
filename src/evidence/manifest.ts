import { z } from 'zod';
import { sha256Hex } from '../receipts/store.js';
import { type BundleFile, type Finding, MANIFEST_FILE, MANIFEST_SCHEMA } from './bundle.js';

const ManifestSchema = z
  .object({
    schema: z.literal(MANIFEST_SCHEMA),
    execution_id: z.string(),
    files: z.array(
      z.object({
        path: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number().int().min(0),
      }),
    ),
  })
  .strict();

export type Manifest = z.infer<typeof ManifestSchema>;

/** Deterministic: the same files give the same manifest bytes (sorted paths, no timestamps). */
export function buildManifest(executionId: string, files: BundleFile[]): Manifest {
  const entries = files
    .filter((file) => file.path !== MANIFEST_FILE)
    .map((file) => ({ path: file.path, sha256: sha256Hex(file.body), bytes: file.body.length }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { schema: MANIFEST_SCHEMA, execution_id: executionId, files: entries };
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function parseManifest(body: Buffer | undefined): { manifest?: Manifest; problem?: Finding } {
  if (!body)
    return {
      problem: {
        code: 'manifest-missing',
        message: `${MANIFEST_FILE} is missing: this is not an evidence bundle (make one with \`standby evidence collect\`)`,
        path: MANIFEST_FILE,
      },
    };
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return {
      problem: {
        code: 'manifest-invalid',
        message: `${MANIFEST_FILE} is not valid JSON`,
        path: MANIFEST_FILE,
      },
    };
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return {
      problem: {
        code: 'manifest-invalid',
        message: `${MANIFEST_FILE} does not match ${MANIFEST_SCHEMA}: ${detail}`,
        path: MANIFEST_FILE,
      },
    };
  }
  return { manifest: parsed.data };
}

/** Every listed file present with its sha256 and size; no file in the bundle left unlisted. */
export function verifyManifest(manifest: Manifest, files: BundleFile[]): Finding[] {
  const findings: Finding[] = [];
  const byPath = new Map(files.map((file) => [file.path, file]));
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    if (listed.has(entry.path)) {
      findings.push({
        code: 'manifest-duplicate',
        message: `manifest lists ${entry.path} more than once`,
        path: entry.path,
      });
      continue;
    }
    listed.add(entry.path);
    const file = byPath.get(entry.path);
    if (!file) {
      findings.push({
        code: 'manifest-file-missing',
        message: `manifest lists ${entry.path} but the bundle has no such file`,
        path: entry.path,
      });
      continue;
    }
    const sha256 = sha256Hex(file.body);
    if (sha256 !== entry.sha256 || file.body.length !== entry.bytes) {
      findings.push({
        code: 'manifest-mismatch',
        message: `${entry.path} changed since collection: manifest says ${entry.bytes} bytes sha256 ${entry.sha256}, file has ${file.body.length} bytes sha256 ${sha256}`,
        path: entry.path,
      });
    }
  }
  for (const file of files) {
    if (file.path !== MANIFEST_FILE && !listed.has(file.path)) {
      findings.push({
        code: 'manifest-unlisted-file',
        message: `${file.path} is in the bundle but not in the manifest (added after collection?)`,
        path: file.path,
      });
    }
  }
  return findings;
}
