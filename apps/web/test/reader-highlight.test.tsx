// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PlainText } from '../src/components/reader/PlainText.js';

afterEach(() => cleanup());

describe('the opened message marks the search hit', () => {
  it('in a plain-text body, links included, by folded word', () => {
    const { container } = render(
      <PlainText
        text="Viele Grüße, see https://grusse.example/ or Grussel"
        linked={undefined}
        highlight={['grusse']}
      />,
    );
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual([
      'Grüße',
      'grusse',
    ]);
    expect(container.querySelector('a')!.getAttribute('href')).toBe('https://grusse.example/');
    expect(container.textContent).toBe('Viele Grüße, see https://grusse.example/ or Grussel');
  });

  it('marks nothing without a search', () => {
    const { container } = render(<PlainText text="Viele Grüße" linked={undefined} />);
    expect(container.querySelectorAll('mark')).toHaveLength(0);
  });
});
