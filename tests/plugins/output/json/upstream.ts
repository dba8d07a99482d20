// Expected documents from upstream bpftrace's tests/runtime/outputs/*.json,
// shared by the unit tests (formatting decoded maps) and the end-to-end tests
// (running the same programs against the kernel).

type Bucket = { min?: number; max?: number; count: number };

/** Buckets from [min, max, count] rows. */
const rows = (list: number[][]): Bucket[] => list.map(([min, max, count]) => ({ min, max, count }));

/** `begin { @hist = hist(2); @hist = hist(1025); }` (outputs/hist.json). */
export const histJson = {
  type: 'hist',
  data: { '@hist': rows([[2, 3, 1], [4, 7, 0], [8, 15, 0], [16, 31, 0], [32, 63, 0], [64, 127, 0], [128, 255, 0], [256, 511, 0], [512, 1023, 0], [1024, 2047, 1]]) },
};

/** `@["bpftrace"] = hist(2); @["curl"] = hist(-1), hist(0), hist(511), hist(1024), hist(1025)` (outputs/hist_multiple.json). */
export const histMultipleJson = {
  type: 'hist',
  data: {
    '@': {
      bpftrace: rows([[2, 3, 1]]),
      curl: [
        { max: -1, count: 1 },
        ...rows([[0, 0, 1], [1, 1, 0], [2, 3, 0], [4, 7, 0], [8, 15, 0], [16, 31, 0], [32, 63, 0], [64, 127, 0], [128, 255, 0], [256, 511, 1], [512, 1023, 0], [1024, 2047, 2]]),
      ],
    },
  },
};

/** `@["bpftrace", 2] = hist(2); @["curl", 3] = hist(511), hist(1024)` (outputs/hist_multiple_multiple_keys.json). */
export const histMultipleKeysJson = {
  type: 'hist',
  data: { '@': { 'bpftrace,2': rows([[2, 3, 1]]), 'curl,3': rows([[256, 511, 1], [512, 1023, 0], [1024, 2047, 1]]) } },
};

/** `@h = lhist(2 | 50 | 1000, 0, 100, 10)` (outputs/lhist.json). */
export const lhistJson = {
  type: 'hist',
  data: { '@h': [...rows([[0, 9, 1], [10, 19, 0], [20, 29, 0], [30, 39, 0], [40, 49, 0], [50, 59, 1], [60, 69, 0], [70, 79, 0], [80, 89, 0], [90, 99, 0]]), { min: 100, count: 1 }] },
};

/** `@stats["curl"] = stats(2); @stats["zsh"] = stats(10)` (outputs/stats_multiple.json). */
export const statsMultipleJson = {
  type: 'stats',
  data: { '@stats': { curl: { count: 1, average: 2, total: 2 }, zsh: { count: 1, average: 10, total: 10 } } },
};
