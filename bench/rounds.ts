/** What the paired start-up benches share: the order of each round, and the statistics they report. */
/** The middle value; with an even count, the mean of the two middle ones (not the larger, which overstated
 * a two-round median). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
export const min = (values: number[]) => Math.min(...values);

/** A shuffled copy (Fisher-Yates): each round runs the cases in a new order, so none always goes first. */
export function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
