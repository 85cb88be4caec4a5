import { useMemo } from 'react';
import { linkify, type TextSegment } from '../../mime/linkify.js';
import { Highlight } from '../../search/Highlight.js';
import { textBlocks } from './text-blocks.js';

type Terms = readonly string[] | undefined;

function Segment({ segment, highlight }: { segment: TextSegment; highlight: Terms }) {
  return segment.kind === 'link' ? (
    <a href={segment.href} target="_blank" rel="noopener noreferrer">
      <Highlight text={segment.text} terms={highlight} />
    </a>
  ) : (
    <Highlight text={segment.text} terms={highlight} />
  );
}

/**
 * The body in blocks (mimeLimits.plainTextBlockChars) that layout skips until they near the viewport
 * (`content-visibility: auto`; each block's estimated height holds its place). Skipped blocks stay in
 * the document: select-all and copy, find-in-page and the accessibility tree see all of the text.
 * A search word that straddles a block cut is not marked.
 */
export function PlainText({
  text,
  linked,
  highlight,
}: {
  text: string;
  linked: readonly TextSegment[] | undefined;
  /** Folded search terms whose words are marked (the search hit). */
  highlight?: Terms;
}) {
  // The worker links the text; a message parsed elsewhere (tests) is linked here.
  const blocks = useMemo(() => textBlocks(linked ?? linkify(text)), [text, linked]);
  return (
    <div className="plain-text">
      {blocks.map((block, index) => (
        <span
          key={index}
          className="text-block"
          style={{ containIntrinsicBlockSize: `auto ${block.lines}lh` }}
        >
          {block.segments.map((segment, at) => (
            <Segment key={at} segment={segment} highlight={highlight} />
          ))}
        </span>
      ))}
    </div>
  );
}
