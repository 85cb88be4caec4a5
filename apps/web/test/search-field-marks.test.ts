import { describe, expect, it } from 'vitest';
import { fieldMarks, fieldMarksOf } from '../src/search/field-marks.js';
import { parseQuery } from '../src/search/query.js';

describe('which words a hit marks in which field', () => {
  it('from: marks the sender only; a word alone marks every field', () => {
    expect(fieldMarks(parseQuery('from:bob'), ['bob'])).toEqual({ sender: ['bob'], subject: [], body: [] });
    expect(fieldMarks(parseQuery('bob'), ['bob'])).toEqual({
      sender: ['bob'],
      subject: ['bob'],
      body: ['bob'],
    });
    expect(fieldMarks(parseQuery('from:bob budget'), ['bob', 'budget', 'budgets'])).toEqual({
      sender: ['bob', 'budget', 'budgets'],
      subject: ['budget', 'budgets'],
      body: ['budget', 'budgets'],
    });
  });

  it('subject: marks the subject only; to: marks no shown field; prefixes and phrases count', () => {
    expect(fieldMarks(parseQuery('subject:plan'), ['plan', 'planning'])).toEqual({
      sender: [],
      subject: ['plan', 'planning'],
      body: [],
    });
    expect(fieldMarks(parseQuery('to:carol'), ['carol'])).toEqual({ sender: [], subject: [], body: [] });
    expect(fieldMarks(parseQuery('"grusse aus"'), ['grusse', 'aus']).body).toEqual(['grusse', 'aus']);
    // One letter matches whole terms only (as the index does).
    expect(fieldMarks(parseQuery('from:b'), ['bob']).sender).toEqual([]);
  });

  it('is worked out once per query and terms array', () => {
    const query = parseQuery('from:bob');
    const terms = ['bob'];
    expect(fieldMarksOf(query, terms)).toBe(fieldMarksOf(query, terms));
    expect(fieldMarksOf(undefined, terms)).toBeUndefined();
  });
});
