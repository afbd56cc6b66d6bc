/** What the paired start-up benches share: the order of each round, and the statistics they report. */
export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
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
