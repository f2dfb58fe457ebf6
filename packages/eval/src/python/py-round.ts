/**
 * Python's `round(x, ndigits)`: the exact binary value rounded to `ndigits` decimals, ties to
 * even. `Number.prototype.toFixed` rounds the exact value as well but breaks ties away from
 * zero; an exact tie at d decimals needs x = odd / 2^(d+1), which is cheap to test.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  const scaled = x * 2 ** (ndigits + 1); // exact: a power of two
  if (Number.isInteger(scaled) && scaled % 2 !== 0) {
    const twice = BigInt(scaled) * 5n ** BigInt(ndigits); // 2 * x * 10^d, an odd integer
    const lower = (twice - 1n) / 2n; // floor(x * 10^d), exact since twice - 1 is even
    const even = lower % 2n === 0n ? lower : lower + 1n;
    return Number(`${even}e-${ndigits}`);
  }
  return Number(x.toFixed(ndigits));
}
