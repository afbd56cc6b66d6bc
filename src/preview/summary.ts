import type { PlannedObject, RestorePlan } from './plan.js';

/** The restore this preview is compared with: the newest verified drill's restore report (issue 23.4). */
export interface PreviousRestore {
  executionId: string;
  /** Kind/namespace/name of everything it applied. */
  applied: string[];
  appliedTruncated: boolean;
  /** Each workload's images; empty from reports written before restore.sh recorded them. */
  images: Array<{ object: string; images: string[] }>;
  imagesRecorded: boolean;
}

export interface PreviewDiff {
  against: string;
  added: string[];
  /** Null when the previous report listed only part of what it applied: removals cannot be known. */
  removed: string[] | null;
  changed_images: Array<{ object: string; before: string[]; after: string[] }>;
  /** Why a part of the diff is missing, if it is. */
  notes: string[];
}

export interface RestorePreview {
  backup_uri: string;
  namespace: string;
  plan: RestorePlan;
  /** Images not pinned by digest (a tag can point elsewhere by the time the restore runs). */
  unpinned: string[];
  diff: PreviewDiff | null;
}

/** What reviewers see of the restore preview: the preview, or why there is none (never a phase failure). */
export type ReviewPreview = { preview: RestorePreview } | { unavailable: string };

const DIGEST_REF = /@sha256:[0-9a-f]{64}$/;

export function unpinnedImages(plan: RestorePlan): string[] {
  if ('error' in plan) return [];
  return [...new Set(plan.objects.flatMap((o) => o.images))].filter((i) => !DIGEST_REF.test(i)).sort();
}

/** Added, removed and changed-image objects of this plan against a previous restore. */
export function diffAgainst(plan: RestorePlan, previous: PreviousRestore): PreviewDiff {
  const objects = 'error' in plan ? [] : plan.objects;
  const now = new Set(objects.map((o) => o.id));
  const before = new Set(previous.applied);
  const notes: string[] = [];
  if (previous.appliedTruncated)
    notes.push(`${previous.executionId}'s report lists only part of what it applied: removals unknown`);
  if (!previous.imagesRecorded)
    notes.push(`${previous.executionId}'s restore report records no images (an older restore.sh)`);
  const was = new Map(previous.images.map((w) => [w.object, w.images]));
  const changed = objects
    .filter((o) => was.has(o.id) && !sameList(was.get(o.id) ?? [], o.images))
    .map((o) => ({ object: o.id, before: was.get(o.id) ?? [], after: o.images }));
  return {
    against: previous.executionId,
    added: objects.map((o) => o.id).filter((id) => !before.has(id)),
    removed: previous.appliedTruncated ? null : previous.applied.filter((id) => !now.has(id)),
    changed_images: changed,
    notes,
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** How a held workload is held, in words: `replicas 3 (held at 0)`, `suspend false (held suspended)`. */
export function describeHold(object: PlannedObject): string {
  const held = object.held;
  if (!held) return '';
  if ('replicas' in held) return `replicas ${String(held.replicas)} (held at 0)`;
  if ('suspend' in held) return `suspend ${String(held.suspend)} (held suspended)`;
  if ('nodeSelector' in held) return 'held off every node until activation';
  return JSON.stringify(held);
}

/**
 * The preview as a notification carries it: counts, unpinned images and the diff, not every object (an
 * SNS message holds at most 256 KiB; the full list is in the receipt's summary-json and the job summary).
 */
export function compactPreview(shown: ReviewPreview): Record<string, unknown> {
  if ('unavailable' in shown) return shown;
  const { plan, ...rest } = shown.preview;
  if ('error' in plan) return { ...rest, refused: plan.error };
  return { ...rest, objects: plan.objects.length, state: plan.state };
}
