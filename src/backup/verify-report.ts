import type { ArtifactCheck } from './verify.js';

/** What `standby backup verify` found for one backup: its signature, then every artifact. */
export interface VerifyReport {
  backup_uri: string;
  signature:
    | { result: 'ok'; key_id: string; algorithm: string }
    | { result: 'invalid' | 'unavailable' | 'unreadable'; detail: string };
  /** Empty when the signature was refused: the artifacts of an unproven metadata.json are not checked. */
  artifacts: ArtifactCheck[];
  /** ok: signed by the key and intact; refused: proven wrong; unknown: S3 did not answer or refused. */
  verdict: 'ok' | 'refused' | 'unknown';
}

/** The verdict from the parts: a proof against the backup outranks not knowing. */
export function verifyVerdict(
  signature: VerifyReport['signature'],
  artifacts: ArtifactCheck[],
): VerifyReport['verdict'] {
  const proven = ['missing', 'size_mismatch', 'checksum_mismatch'];
  if (signature.result === 'invalid' || artifacts.some((a) => proven.includes(a.result))) return 'refused';
  if (signature.result !== 'ok' || artifacts.some((a) => a.result !== 'ok')) return 'unknown';
  return 'ok';
}

/** Plain text for a terminal: one line for the signature, one per artifact, then the verdict. */
export function renderVerifyReport(report: VerifyReport): string {
  const sig = report.signature;
  const lines = [
    `Backup ${report.backup_uri}`,
    sig.result === 'ok'
      ? `  metadata.json.sig  ok: signed by ${sig.key_id} (${sig.algorithm})`
      : `  metadata.json.sig  ${sig.result}: ${sig.detail}`,
    ...report.artifacts.map((a) => `  ${a.name}  ${a.result}: ${a.detail} (${a.checksum_source})`),
  ];
  const verdicts = {
    ok: 'verified: signed by the key, every artifact intact',
    refused: 'REFUSED: this backup is not what the key signed',
    unknown: 'not verified: S3 did not answer or refused; try again',
  };
  lines.push(verdicts[report.verdict]);
  return lines.join('\n');
}
