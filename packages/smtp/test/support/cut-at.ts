/** Cuts `all` at the given points (taken modulo its length + 1, repeats dropped): the pieces in order. */
export function cutAt(all: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, all.length]) {
    pieces.push(all.subarray(from, point));
    from = point;
  }
  return pieces;
}
