import { memo } from 'react';
import { leadToHit } from './snippet.js';
import { wordSpans } from './text.js';

/**
 * `text` with the words the search matched in <mark>: a word is marked when its folding is one of
 * the index terms that matched (so "Grüße" is marked for a search for "grusse").
 */
export const Highlight = memo(function Highlight({
  text,
  terms,
  lead = false,
}: {
  text: string;
  terms: readonly string[] | undefined;
  /** A one-line snippet: start a few words before the first mark when it would be out of sight (leadToHit). */
  lead?: boolean;
}) {
  if (!terms || terms.length === 0) return text;
  const wanted = new Set(terms);
  const parts: Array<string | React.JSX.Element> = [];
  let at = 0;
  for (const span of wordSpans(text)) {
    if (!wanted.has(span.folded)) continue;
    if (lead && parts.length === 0) {
      const { from, ellipsis } = leadToHit(text, span.start);
      if (ellipsis) {
        parts.push('… ');
        at = from;
      }
    }
    if (span.start > at) parts.push(text.slice(at, span.start));
    parts.push(<mark key={span.start}>{text.slice(span.start, span.end)}</mark>);
    at = span.end;
  }
  if (parts.length === 0) return text;
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
});
