import { median, min } from '../../bench/rounds.js';

// The statistics every paired bench reports (docs/benchmarks.md quotes them as medians and mins).
describe('bench statistics', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it('takes the mean of the two middle values of an even count, not the larger', () => {
    expect(median([4, 2])).toBe(3);
    expect(median([10, 1, 4, 2])).toBe(3);
  });

  it('min is the smallest', () => {
    expect(min([3, 1, 2])).toBe(1);
  });
});
