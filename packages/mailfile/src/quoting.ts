export const LF = 0x0a;
export const GT = 0x3e;
/** `From `: a line starting with `>*From ` is quoted by one more `>` in mboxrd. */
export const FROM_ = [0x46, 0x72, 0x6f, 0x6d, 0x20] as const;

/** `quoteCount` times `>` then the first `matched` bytes of `From `: a line start held back as it was. */
export function heldPrefix(quoteCount: number, matched: number): Uint8Array {
  const prefix = new Uint8Array(quoteCount + matched);
  prefix.fill(GT, 0, quoteCount);
  prefix.set(FROM_.slice(0, matched), quoteCount);
  return prefix;
}
