import { defaultTreeAdapter, parse, type DefaultTreeAdapterMap, type TreeAdapter } from 'parse5';
import { mimeLimits } from './limits.js';

/** Why an HTML body is too complex to show: its open elements nest deeper, or it has more elements. */
export interface HtmlTooComplex {
  readonly reason: 'depth' | 'elements';
  readonly limit: number;
}

export interface HtmlComplexityLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
}

/** Thrown inside parse5 to stop at the first element over a limit (the rest is never parsed). */
class OverLimit extends Error {
  constructor(readonly verdict: HtmlTooComplex) {
    super(verdict.reason);
  }
}

/**
 * Whether an HTML body is beyond what the reader renders: more elements than `maxElements`, or open
 * elements nested deeper than `maxDepth`. Measured with parse5 — the HTML standard's tree
 * construction, so the depth is that of the stack of open elements the browser would build (unclosed
 * `<p>`, `<li>`, `<td>` and misnested formatting elements counted as the browser counts them). Runs in
 * the MIME worker: the check stops at the first element over a limit, so its cost is bounded by the
 * limits, while the browser's own parser (under DOMPurify) is quadratic in depth past 512: 20,000 nested
 * `<b>` took it 2.5 s and DOMPurify 3.2 s more on the main thread; 60,000, over a minute.
 */
export function htmlTooComplex(
  html: string,
  limits: HtmlComplexityLimits = {
    maxDepth: mimeLimits.maxHtmlDepth,
    maxElements: mimeLimits.maxHtmlElements,
  },
): HtmlTooComplex | undefined {
  let depth = 0;
  let elements = 0;
  const adapter: TreeAdapter<DefaultTreeAdapterMap> = {
    ...defaultTreeAdapter,
    createElement(tagName, namespaceURI, attrs) {
      if (++elements > limits.maxElements) {
        throw new OverLimit({ reason: 'elements', limit: limits.maxElements });
      }
      return defaultTreeAdapter.createElement(tagName, namespaceURI, attrs);
    },
    onItemPush() {
      if (++depth > limits.maxDepth) throw new OverLimit({ reason: 'depth', limit: limits.maxDepth });
    },
    onItemPop() {
      depth--;
    },
  };
  try {
    parse(html, { treeAdapter: adapter });
    return undefined;
  } catch (error) {
    if (error instanceof OverLimit) return error.verdict;
    throw error;
  }
}
