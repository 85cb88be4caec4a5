const LF = 0x0a;

// One decode for all the lines: a TextDecoder (and each call of one) costs microseconds in Chromium
// whatever the length, and the protocol log reads every TOP reply of a listing (0.3 s of 10,000 in a
// CPU profile, one decoder and one call a line). ignoreBOM: a BOM is stripped per line below, as a
// decode of each line on its own did.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The first complete lines of a body (at most `max`), decoded as UTF-8 without their line ends, and
 * how many octets they take, line ends included. A part of a line at the end (a body kept only in
 * part) is left out.
 */
export function leadingLines(body: Uint8Array, max: number): { lines: string[]; octets: number } {
  let count = 0;
  let start = 0;
  while (count < max) {
    const end = body.indexOf(LF, start);
    if (end === -1) break;
    count++;
    start = end + 1;
  }
  if (count === 0) return { lines: [], octets: 0 };
  // LF and CR are never inside a UTF-8 sequence, nor eaten by a replacement: the decoded text has
  // the same line ends, so it splits where the bytes do.
  const lines = decoder.decode(body.subarray(0, start)).split('\n');
  lines.pop(); // after the last LF: empty
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.startsWith('\uFEFF')) line = line.slice(1);
    lines[i] = line;
  }
  return { lines, octets: start };
}
