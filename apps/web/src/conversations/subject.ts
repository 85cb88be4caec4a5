/**
 * Reply and forward prefixes mail clients put before a subject, in the languages they write them:
 * Re, Fwd/Fw (English), AW/WG (German), SV/VS (Scandinavian), Antw/Doorst (Dutch), TR (French),
 * RV/ENC (Spanish, Portuguese), Odp/PD (Polish), Отв/Ответ/Пересл (Russian); with a
 * count (`Re[2]:`, `Re^2:`), a space before the colon (French) or a full-width colon.
 */
const PREFIX =
  /^\s*(?:re|fwd?|aw|wg|sv|vs|antw|doorst|tr|rv|enc|odp|pd|отв|ответ|пересл|fw)(?:\s*\[\d{1,4}\]|\^\d{1,4})?\s*[:：]\s*/iu;

/** A mailing list's tag before the subject (`[users] Re: …`), which a reply keeps or drops. */
const LIST_TAG = /^\s*\[[^\]\n]{1,40}\]\s*/u;

/** Prefixes stripped from one subject at most (a hostile "Re: Re: Re: …" of 1,000 characters is cut by the list already). */
const MAX_PREFIXES = 64;

export interface BaseSubject {
  /** Lower case, prefixes and list tags off, white space collapsed: the key conversations match on. */
  readonly base: string;
  /** A reply or forward prefix was stripped. */
  readonly reply: boolean;
}

/** JWZ's "base subject": the subject without its reply and forward prefixes (and list tags). */
export function baseSubject(subject: string): BaseSubject {
  let rest = subject;
  let reply = false;
  for (let count = 0; count < MAX_PREFIXES; count++) {
    const tag = LIST_TAG.exec(rest);
    if (tag) {
      rest = rest.slice(tag[0].length);
      continue;
    }
    const prefix = PREFIX.exec(rest);
    if (!prefix) break;
    rest = rest.slice(prefix[0].length);
    reply = true;
  }
  return { base: rest.replace(/\s+/g, ' ').trim().toLowerCase(), reply };
}
