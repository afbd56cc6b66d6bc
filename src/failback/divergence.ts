/** One object of a run's listing, keyed by its path relative to the run prefix. */
export interface ListedObject {
  size: number;
  etag: string;
}
export type RunListing = Map<string, ListedObject>;

export interface Divergence {
  /** Published by the primary run only (failing back keeps them; the DR side never had them). */
  onlyInPrimary: string[];
  /** Published by the DR run only: failing back hides them from readers of the pointers. */
  onlyInDr: string[];
  /** Same relative key, different size or ETag. */
  different: { key: string; primary: ListedObject; dr: ListedObject }[];
}

/**
 * Compares two runs' listings key by key. ETags are compared as S3 returns them, so the same bytes
 * uploaded single-part on one side and multipart on the other show up as different (docs/failback.md).
 */
export function compareListings(primary: RunListing, dr: RunListing): Divergence {
  const onlyInPrimary = [...primary.keys()].filter((key) => !dr.has(key)).sort();
  const onlyInDr = [...dr.keys()].filter((key) => !primary.has(key)).sort();
  const different: Divergence['different'] = [];
  for (const key of [...primary.keys()].sort()) {
    const a = primary.get(key);
    const b = dr.get(key);
    if (a && b && (a.size !== b.size || normalizeEtag(a.etag) !== normalizeEtag(b.etag)))
      different.push({ key, primary: a, dr: b });
  }
  return { onlyInPrimary, onlyInDr, different };
}

export function isDivergent(divergence: Divergence): boolean {
  return divergence.onlyInPrimary.length + divergence.onlyInDr.length + divergence.different.length > 0;
}

export function normalizeEtag(etag: string): string {
  return etag.replace(/"/g, '');
}

export function describeDivergence(divergence: Divergence): string {
  return `${divergence.onlyInPrimary.length} only in primary, ${divergence.onlyInDr.length} only in DR, ${divergence.different.length} different`;
}
