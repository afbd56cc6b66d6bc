// The signature object's name, format and algorithms, apart from signature.ts (its zod schema): a backup
// names the object it writes without loading zod as it starts (issue 24.4).
export const SIGNATURE_OBJECT = 'metadata.json.sig';
export const SIGNATURE_FORMAT = 'standby-backup-signature/1';
export const SIGNING_ALGORITHMS = ['ECDSA_SHA_256', 'RSASSA_PSS_SHA_256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
