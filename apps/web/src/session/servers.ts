import { parseOAuthProvider } from '../oauth/parse.js';
import { defaultSessionPolicy, type ServerList, type SessionPolicy } from './types.js';

/** GET api/servers from the bridge. */
export async function loadServers(signal?: AbortSignal): Promise<ServerList> {
  const response = await fetch(new URL('api/servers', document.baseURI), {
    signal,
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`the bridge answered ${response.status} ${response.statusText}`);
  const body = (await response.json()) as Partial<ServerList>;
  const servers = Array.isArray(body.servers)
    ? body.servers.filter(
        (server) => typeof server?.id === 'string' && ['none', 'tls', 'starttls'].includes(server.security),
      )
    : [];
  return {
    servers: servers.map(({ oauth, mailDomain, ...server }) => {
      const provider = parseOAuthProvider(oauth);
      return {
        ...server,
        label: server.label || server.id,
        ...(provider ? { oauth: provider } : {}),
        ...(isMailDomain(mailDomain) ? { mailDomain } : {}),
      };
    }),
    allowAnyTarget: body.allowAnyTarget === true,
    sessionPolicy: parseSessionPolicy((body as { session?: unknown }).session),
  };
}

/** The bridge's `session` answer, its well-formed values over the defaults. */
export function parseSessionPolicy(value: unknown): SessionPolicy {
  const given = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const { idleMinutes, sharedComputerDefault, rememberPasswords } = given;
  return {
    idleMinutes:
      typeof idleMinutes === 'number' && Number.isFinite(idleMinutes) && idleMinutes >= 0
        ? idleMinutes
        : defaultSessionPolicy.idleMinutes,
    sharedComputerDefault:
      typeof sharedComputerDefault === 'boolean'
        ? sharedComputerDefault
        : defaultSessionPolicy.sharedComputerDefault,
    // Only the admin's explicit true turns it on.
    rememberPasswords: rememberPasswords === true,
  };
}

/** A bridge's `mailDomain` as it validated it (an odd value gives no default address, not a wrong one). */
function isMailDomain(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(value);
}
