import type { HeaderSummary } from './header-summary.js';
import { describePattern, matchesText, type TextPattern } from './text-pattern.js';

/** What `waitForMessage` looks for; every criterion given must hold. */
export interface MessageCriteria {
  /** Matches the To or Cc header (display names and addresses). */
  readonly to?: TextPattern;
  /** Matches the From header (display name and address). */
  readonly from?: TextPattern;
  readonly subject?: TextPattern;
  /**
   * Ignore messages whose Date header is older than this (compared to the second, since Date headers
   * have no milliseconds). Messages without a readable Date header are not ignored.
   */
  readonly since?: Date;
}

export function matchesCriteria(summary: HeaderSummary, criteria: MessageCriteria): boolean {
  if (criteria.subject !== undefined && !matchesText(summary.subject, criteria.subject)) return false;
  if (criteria.from !== undefined && !matchesText(summary.from, criteria.from)) return false;
  const to = criteria.to;
  if (to !== undefined && !summary.to.some((value) => matchesText(value, to))) return false;
  if (criteria.since !== undefined && summary.date !== undefined) {
    const sinceSecond = Math.floor(criteria.since.getTime() / 1000) * 1000;
    if (summary.date.getTime() < sinceSecond) return false;
  }
  return true;
}

/** `to containing "bob@" and subject matching /code/i`, or `any message`. */
export function describeCriteria(criteria: MessageCriteria): string {
  const parts: string[] = [];
  if (criteria.to !== undefined) parts.push(`to ${describePattern(criteria.to)}`);
  if (criteria.from !== undefined) parts.push(`from ${describePattern(criteria.from)}`);
  if (criteria.subject !== undefined) parts.push(`subject ${describePattern(criteria.subject)}`);
  if (criteria.since !== undefined) parts.push(`dated ${criteria.since.toISOString()} or later`);
  return parts.length > 0 ? parts.join(' and ') : 'any message';
}
