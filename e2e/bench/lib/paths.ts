import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** A file under the repository's root. */
export const fromRoot = (path: string): string =>
  fileURLToPath(new URL(path, new URL('../../../', import.meta.url)));
