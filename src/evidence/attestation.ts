import { PHASES } from '../receipts/envelope.js';
import { parseReceiptFileName } from '../receipts/store.js';

/**
 * Reads a GitHub artifact attestation of an evidence bundle: the Sigstore bundle `actions/attest` writes
 * (its `bundle-path` output, one JSON object), the JSON Lines file `gh attestation download` writes (one
 * bundle per line), or the array `gh attestation verify --format json` prints. Each bundle's
 * `dsseEnvelope.payload` is a base64 in-toto Statement whose `subject` lists what was attested (name and
 * sha256 digest) and, for SLSA provenance, whose `predicate.runDetails.metadata.invocationId` names the run
 * (`https://github.com/<owner>/<repo>/actions/runs/<run id>/attempts/<attempt>`).
 *
 * This reads the statement; it does NOT check the signature. Verify that first with
 * `gh attestation verify <file> --bundle <attestation> --repo <owner>/<repo> --signer-workflow ...`.
 */
export interface AttestedSubject {
  name: string;
  sha256: string;
}

export interface ParsedAttestation {
  subjects: AttestedSubject[];
  /** The receipts among the subjects (file names like `<phase>.json`, `<phase>.attempt-N.json`). */
  receipts: AttestedSubject[];
  predicateTypes: string[];
  runId?: string;
  runAttempt?: string;
  repository?: string;
  workflowPath?: string;
}

export class AttestationError extends Error {
  override name = 'AttestationError';
}

interface Statement {
  subject?: Array<{ name?: unknown; digest?: { sha256?: unknown } }>;
  predicateType?: unknown;
  predicate?: {
    buildDefinition?: { externalParameters?: { workflow?: { repository?: unknown; path?: unknown } } };
    runDetails?: { metadata?: { invocationId?: unknown } };
  };
}

export function parseAttestation(text: string, source = 'attestation'): ParsedAttestation {
  const statements = documents(text, source).flatMap((doc) => statementsOf(doc));
  if (statements.length === 0)
    throw new AttestationError(
      `${source} holds no in-toto statement (expected the Sigstore bundle written by actions/attest or \`gh attestation download\` output)`,
    );
  const subjects = statements.flatMap((s) =>
    (s.subject ?? []).flatMap((subject) =>
      typeof subject.name === 'string' && typeof subject.digest?.sha256 === 'string'
        ? [{ name: subject.name, sha256: subject.digest.sha256.toLowerCase() }]
        : [],
    ),
  );
  const provenance = statements.find(
    (s) => typeof s.predicate?.runDetails?.metadata?.invocationId === 'string',
  );
  const invocation = /\/actions\/runs\/(\d+)\/attempts\/(\d+)/.exec(
    String(provenance?.predicate?.runDetails?.metadata?.invocationId ?? ''),
  );
  const workflow = provenance?.predicate?.buildDefinition?.externalParameters?.workflow;
  return {
    subjects,
    receipts: subjects.filter((s) => isReceiptName(s.name)),
    predicateTypes: [...new Set(statements.map((s) => String(s.predicateType)))],
    runId: invocation?.[1],
    runAttempt: invocation?.[2],
    repository: typeof workflow?.repository === 'string' ? workflow.repository : undefined,
    workflowPath: typeof workflow?.path === 'string' ? workflow.path : undefined,
  };
}

/** `<phase>.json` or `<phase>.attempt-N.json` for a known phase (manifest.json is a subject too, not a receipt). */
function isReceiptName(name: string): boolean {
  const parsed = parseReceiptFileName(name);
  return parsed !== undefined && (PHASES as readonly string[]).includes(parsed.phase);
}

/** One JSON document, or JSON Lines. */
function documents(text: string, source: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    try {
      return lines.map((line) => JSON.parse(line));
    } catch {
      throw new AttestationError(`${source} is neither JSON nor JSON Lines`);
    }
  }
}

/** Finds DSSE envelopes at the places the known formats put them, and decodes their statements. */
function statementsOf(doc: unknown): Statement[] {
  if (Array.isArray(doc)) return doc.flatMap(statementsOf);
  if (doc === null || typeof doc !== 'object') return [];
  const record = doc as Record<string, unknown>;
  const envelope = record.dsseEnvelope as { payload?: unknown } | undefined;
  if (envelope && typeof envelope.payload === 'string') {
    try {
      return [JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement];
    } catch {
      return [];
    }
  }
  return [record.bundle, record.attestation].flatMap(statementsOf);
}
