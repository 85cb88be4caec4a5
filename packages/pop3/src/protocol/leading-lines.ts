const LF = 0x0a;
const CR = 0x0d;

/**
 * The first complete lines of a body (at most `max`), decoded as UTF-8 without their line ends, and
 * how many octets they take, line ends included. A part of a line at the end (a body kept only in
 * part) is left out.
 */
export function leadingLines(body: Uint8Array, max: number): { lines: string[]; octets: number } {
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let start = 0;
  while (lines.length < max) {
    const end = body.indexOf(LF, start);
    if (end === -1) break;
    const textEnd = end > start && body[end - 1] === CR ? end - 1 : end;
    lines.push(decoder.decode(body.subarray(start, textEnd)));
    start = end + 1;
  }
  return { lines, octets: start };
}
