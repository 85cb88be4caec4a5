import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmptyQuery, parseDay, parseQuery, parseSize } from '../src/search/query.js';
import { fold, terms } from '../src/search/text.js';

describe('search text folding', () => {
  it('folds case and diacritics in German, French and Russian, keeps й', () => {
    expect(fold('Grüße aus MÜNCHEN, Straße')).toBe('grusse aus munchen, strasse');
    expect(fold('Café Ñandú')).toBe('cafe nandu');
    expect(fold('Ёлка счёт')).toBe('елка счет');
    expect(fold('Мой')).toBe('мой');
    expect(terms('alice.martin@example.com, "Invoice #2231"')).toEqual([
      'alice',
      'martin',
      'example',
      'com',
      'invoice',
      '2231',
    ]);
  });
});

describe('search query parser', () => {
  it('reads free words, phrases and every operator', () => {
    const query = parseQuery(
      'Grüße "quarterly report" from:alice to:"Bob Novak" subject:invoice has:attachment is:unread is:starred in:archive before:2024-05-31 after:1.2.2024 larger:10k',
    );
    expect(query).toEqual({
      words: ['grusse'],
      phrases: [['quarterly', 'report']],
      from: ['alice'],
      to: ['bob', 'novak'],
      subject: ['invoice'],
      hasAttachment: true,
      unread: true,
      starred: true,
      folder: 'archive',
      before: Date.UTC(2024, 4, 31),
      after: Date.UTC(2024, 1, 1),
      largerThan: 10 * 1024,
      problems: [],
    });
  });

  it('says what it could not read and still applies the rest', () => {
    const query = parseQuery('before:tomorrow larger:huge is:sleepy in:spam has:kids report "open');
    expect(query.words).toEqual(['report', 'open']);
    expect(query.problems.map((problem) => problem.kind)).toEqual([
      'date',
      'size',
      'is',
      'in',
      'has',
      'unclosedQuote',
    ]);
    expect(query.problems[0]!.text).toBe('before:tomorrow');
    expect(query.before).toBeUndefined();
  });

  it('treats unknown operators and one-word quotes as words, operators case-insensitively', () => {
    expect(parseQuery('foo:bar "single"').words).toEqual(['foo', 'bar', 'single']);
    expect(parseQuery('FROM:Alice IS:Read').from).toEqual(['alice']);
    expect(parseQuery('IS:Read').unread).toBe(false);
    expect(parseQuery('subject:"Re: invoice"').subject).toEqual(['re', 'invoice']);
  });

  it('is empty for spaces and punctuation only', () => {
    expect(isEmptyQuery(parseQuery('   '))).toBe(true);
    expect(isEmptyQuery(parseQuery(' , ; ! '))).toBe(true);
    expect(isEmptyQuery(parseQuery('has:attachment'))).toBe(false);
  });

  it('reads dates and sizes in the forms people type', () => {
    expect(parseDay('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDay('2023-02-29')).toBeUndefined();
    expect(parseDay('2024/3/5')).toBe(Date.UTC(2024, 2, 5));
    expect(parseDay('05.03.2024')).toBe(Date.UTC(2024, 2, 5));
    expect(parseDay('2024-03')).toBe(Date.UTC(2024, 2, 1));
    expect(parseDay('2024')).toBe(Date.UTC(2024, 0, 1));
    expect(parseDay('2024-13-01')).toBeUndefined();
    expect(parseSize('500')).toBe(500);
    expect(parseSize('2.5M')).toBe(2.5 * 1024 ** 2);
    expect(parseSize('1,5 MB')).toBe(1.5 * 1024 ** 2);
    expect(parseSize('3 parsecs')).toBeUndefined();
  });

  it('never throws, and every word it returns is a folded term of the input', () => {
    const pieces = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'from:',
        'to:',
        'subject:',
        'has:',
        'is:',
        'in:',
        'before:',
        'after:',
        'larger:',
        '"',
        ' ',
        'ü',
        'Ё',
        ':',
      ),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 20 }), (parts) => {
        const input = parts.join('');
        const query = parseQuery(input);
        const all = new Set(terms(input));
        for (const word of [
          ...query.words,
          ...query.phrases.flat(),
          ...query.from,
          ...query.to,
          ...query.subject,
        ]) {
          expect(all.has(word)).toBe(true);
        }
        for (const problem of query.problems) expect(input).toContain(problem.text);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });

  it('reads a long query in linear time: 100,001 quotes and colons parse', () => {
    const input = '"a:'.repeat(100_001);
    expect(parseQuery(input).problems).toHaveLength(1);
  });
});
