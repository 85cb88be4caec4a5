/**
 * A request path under the configured base path (`/webmail/`), as the path the bridge's routes know
 * (`/webmail/api/servers` → `/api/servers`); undefined outside it. With `/`, every path as it is.
 */
export function pathInside(path: string, basePath: string): string | undefined {
  if (basePath === '/') return path;
  return path.startsWith(basePath) ? path.slice(basePath.length - 1) : undefined;
}

/** `/webmail` for a base path `/webmail/`: the page's relative URLs need the slash, so it redirects. */
export function isBaseWithoutSlash(path: string, basePath: string): boolean {
  return basePath !== '/' && path === basePath.slice(0, -1);
}
