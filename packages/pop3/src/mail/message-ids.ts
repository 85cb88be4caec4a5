/** Limits of the message-id lists read from a header block (References, In-Reply-To). */
export const messageIdLimits = {
  /**
   * Ids kept of a References field: the first (the conversation's root) and the latest ones (the
   * parents). Mail clients send some 20 at most (RFC 5322 section 3.6.4 suggests trimming); a hostile
   * header with thousands of ids would otherwise cost every list row that much memory and threading time.
   */
  maxReferences: 32,
  /** An id longer than this is not one (RFC 5322 lines are at most 998 octets); it is skipped. */
  maxIdChars: 998,
} as const;

/**
 * The msg-ids of a References, In-Reply-To or Message-ID value, in order, without their angle brackets
 * (`<a@b> <c@d>` → `a@b`, `c@d`): one linear scan, comments and words between ids ignored (RFC 5322's
 * obsolete forms put phrases there), ids with spaces inside or over `maxIdChars` skipped. At most
 * `max` are kept: the first and the last `max - 1`.
 */
export function parseMessageIds(
  value: string | undefined,
  max: number = messageIdLimits.maxReferences,
): string[] {
  if (!value || max <= 0) return [];
  const ids: string[] = [];
  let first: string | undefined;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    const open = value.indexOf('<', at);
    if (open === -1) break;
    const close = value.indexOf('>', open + 1);
    if (close === -1) break;
    // A `<` inside: the id started again there (`<<a@b>` reads as `a@b`).
    const inner = value.lastIndexOf('<', close);
    const id = value.slice(inner + 1, close).trim();
    at = close + 1;
    if (!id || id.length > messageIdLimits.maxIdChars || /\s/.test(id)) continue;
    total++;
    if (first === undefined) {
      first = id;
      continue;
    }
    ids.push(id);
    // Keep the latest `max - 1` after the first; trimmed in batches so the scan stays linear.
    if (ids.length >= 2 * max) ids.splice(0, ids.length - (max - 1));
  }
  if (first === undefined) return [];
  if (max === 1) return [first];
  const latest = ids.length > max - 1 ? ids.slice(ids.length - (max - 1)) : ids;
  return total > 0 ? [first, ...latest] : [];
}

/** The one msg-id of a Message-ID (or In-Reply-To) value: its first, without brackets; a bare id as it is. */
export function firstMessageId(value: string | undefined): string | undefined {
  const [id] = parseMessageIds(value, 1);
  if (id !== undefined) return id;
  const bare = value?.trim();
  return bare && bare.length <= messageIdLimits.maxIdChars && !/\s/.test(bare) ? bare : undefined;
}
