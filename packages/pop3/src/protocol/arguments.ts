/** A message number (from 1) or a TOP line count (from 0), checked before it goes into a command line. */
export function checkNumber(value: number, minimum = 1): number {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`not a valid message number or line count: ${value}`);
  }
  return value;
}
