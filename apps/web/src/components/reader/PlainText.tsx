import { useMemo } from 'react';
import { linkify, type TextSegment } from '../../mime/linkify.js';

export function PlainText({ text, linked }: { text: string; linked: readonly TextSegment[] | undefined }) {
  // The worker links the text; a message parsed elsewhere (tests) is linked here.
  const segments = useMemo(() => linked ?? linkify(text), [text, linked]);
  return (
    <div className="plain-text">
      {segments.map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </div>
  );
}
