import { useMemo } from 'react';
import { linkify, type TextSegment } from '../../mime/linkify.js';
import { Highlight } from '../../search/Highlight.js';

export function PlainText({
  text,
  linked,
  highlight,
}: {
  text: string;
  linked: readonly TextSegment[] | undefined;
  /** Folded search terms whose words are marked (the search hit). */
  highlight?: readonly string[] | undefined;
}) {
  // The worker links the text; a message parsed elsewhere (tests) is linked here.
  const segments = useMemo(() => linked ?? linkify(text), [text, linked]);
  return (
    <div className="plain-text">
      {segments.map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            <Highlight text={segment.text} terms={highlight} />
          </a>
        ) : (
          <Highlight key={index} text={segment.text} terms={highlight} />
        ),
      )}
    </div>
  );
}
