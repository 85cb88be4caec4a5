import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface CorpusMessage {
  /** File name, e.g. "postal-mime-arf.eml". */
  name: string;
  /** The file exactly as it is on disk (some use LF line ends, some CRLF). */
  bytes: Uint8Array;
}

/**
 * The corpus folder sits next to src/ and dist/, which are at the same depth, so the same relative
 * URL works from the TypeScript sources (tsx, vitest) and from the compiled output.
 */
export function corpusDirectory(): string {
  const candidates = [new URL('../../corpus/', import.meta.url), new URL('../corpus/', import.meta.url)];
  const found = candidates.find((url) => existsSync(url));
  if (!found) throw new Error(`corpus folder not found next to ${fileURLToPath(import.meta.url)}`);
  return fileURLToPath(found);
}

/** Every corpus/*.eml file, sorted by name. */
export async function corpusMessages(): Promise<CorpusMessage[]> {
  const dir = corpusDirectory();
  const names = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(dir + name)) })),
  );
}
