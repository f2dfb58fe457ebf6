/**
 * How many samples fit within `limit` tokens, from `[length, samples]` pairs: the share kept whole
 * (percent, rounded down so "100%" means none is cut) and the count that would be cut.
 */
export function fitWithin(lengthCounts: [number, number][], limit: number): { percent: number; cut: number; samples: number } {
  let samples = 0;
  let cut = 0;
  for (const [len, count] of lengthCounts) {
    samples += count;
    if (len > limit) cut += count;
  }
  const percent = samples === 0 ? 100 : Math.floor(((samples - cut) / samples) * 1000) / 10;
  return { percent, cut, samples };
}
