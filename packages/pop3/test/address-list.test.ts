// The RFC 5322 address-list parser (src/mail/address-list.ts): the RFC's own examples (Appendix A),
// the obsolete forms of §4.4, encoded words (RFC 2047), what mailers write that no RFC allows, and
// the minimal quoting of the formatter.
import { describe, expect, it } from 'vitest';
import {
  firstAddress,
  formatAddressList,
  formatMailbox,
  formatPhrase,
  mailboxesOf,
  parseAddressList,
} from '../src/mail/index.js';

const mailbox = (name: string, address: string) => ({ kind: 'mailbox', name, address });
const member = (name: string, address: string) => ({ name, address });

describe('parseAddressList: RFC 5322 Appendix A', () => {
  it('A.1.1 and A.1.2: display names, bare addresses, quoted names with a comma', () => {
    expect(parseAddressList('"Joe Q. Public" <john.q.public@example.com>')).toEqual([
      mailbox('Joe Q. Public', 'john.q.public@example.com'),
    ]);
    expect(parseAddressList('Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>')).toEqual([
      mailbox('Mary Smith', 'mary@x.test'),
      mailbox('', 'jdoe@example.org'),
      mailbox('Who?', 'one@y.test'),
    ]);
    expect(parseAddressList('<boss@nil.test>, "Giant; \\"Big\\" Box" <sysservices@example.net>')).toEqual([
      mailbox('', 'boss@nil.test'),
      mailbox('Giant; "Big" Box', 'sysservices@example.net'),
    ]);
  });

  it('A.1.3: groups, an empty one included', () => {
    expect(
      parseAddressList(
        'A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;, Undisclosed recipients:;',
      ),
    ).toEqual([
      {
        kind: 'group',
        name: 'A Group',
        members: [
          member('Ed Jones', 'c@a.test'),
          member('', 'joe@where.test'),
          member('John', 'jdoe@one.test'),
        ],
      },
      { kind: 'group', name: 'Undisclosed recipients', members: [] },
    ]);
  });

  it('A.5: comments anywhere CFWS may be, nested and with quoted pairs', () => {
    expect(parseAddressList('Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>')).toEqual([
      mailbox('Pete', 'pete@silly.test'),
    ]);
    expect(
      parseAddressList(
        "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n joe@example.org;",
      ),
    ).toEqual([
      {
        kind: 'group',
        name: 'A Group',
        members: [member('Chris Jones', 'c@public.example'), member('', 'joe@example.org')],
      },
    ]);
    expect(parseAddressList('jane@example.org (Jane (the) Doe)')).toEqual([
      mailbox('Jane (the) Doe', 'jane@example.org'),
    ]);
  });

  it('A.6.1 and §4.4: obsolete phrases, routes, empty list elements, CFWS around dots', () => {
    expect(parseAddressList('Joe Q. Public <john.q.public@example.com>')).toEqual([
      mailbox('Joe Q. Public', 'john.q.public@example.com'),
    ]);
    expect(parseAddressList('<@node.test,@relay.test:joe@example.org>')).toEqual([
      mailbox('', 'joe@example.org'),
    ]);
    expect(parseAddressList(',, a@b.test ,(c), ,c@d.test,')).toEqual([
      mailbox('', 'a@b.test'),
      mailbox('', 'c@d.test'),
    ]);
    expect(parseAddressList('john . q . public @ example . com')).toEqual([
      mailbox('', 'john.q.public@example.com'),
    ]);
    expect(parseAddressList('Group: ,, a@b.test,;')).toEqual([
      { kind: 'group', name: 'Group', members: [member('', 'a@b.test')] },
    ]);
  });

  it('keeps quoted local parts quoted and domain literals whole', () => {
    expect(parseAddressList('"john doe"@example.org, x@[192.0.2.1], "a\\"b"@c.test')).toEqual([
      mailbox('', '"john doe"@example.org'),
      mailbox('', 'x@[192.0.2.1]'),
      mailbox('', '"a\\"b"@c.test'),
    ]);
  });

  it('<> is the null address', () => {
    expect(parseAddressList('<>')).toEqual([mailbox('', '')]);
  });
});

describe('parseAddressList: encoded words (RFC 2047)', () => {
  it('decodes them in display names, joining adjacent words as bytes', () => {
    expect(
      parseAddressList(
        '=?utf-8?Q?J=C3=B6rg?= <j@x.test>, =?utf-8?B?0JjQstCw0L0=?= =?utf-8?B?INCf0LXRgtGA0L7Qsg==?= <i@x.test>',
      ),
    ).toEqual([mailbox('Jörg', 'j@x.test'), mailbox('Иван Петров', 'i@x.test')]);
  });

  it('an encoded word is one atom, even when its text holds specials', () => {
    expect(parseAddressList('=?utf-8?Q?Doe,_Jane?= <jd@x.test>')).toEqual([
      mailbox('Doe, Jane', 'jd@x.test'),
    ]);
  });

  it('decodes them in quoted strings (mailers do that) and in comments', () => {
    expect(
      parseAddressList('"=?iso-8859-1?q?Andr=E9?=" <a@x.test>, b@x.test (=?utf-8?q?B=C3=A9a?=)'),
    ).toEqual([mailbox('André', 'a@x.test'), mailbox('Béa', 'b@x.test')]);
  });

  it('never in an addr-spec (RFC 2047 §5)', () => {
    expect(parseAddressList('=?utf-8?q?x?=@example.org')).toEqual([mailbox('', '=?utf-8?q?x?=@example.org')]);
  });
});

describe('parseAddressList: what mailers write that no RFC allows', () => {
  it('; between addresses', () => {
    expect(parseAddressList('a@x.test; b@x.test')).toEqual([
      mailbox('', 'a@x.test'),
      mailbox('', 'b@x.test'),
    ]);
  });

  it('a display name before a bare address', () => {
    expect(parseAddressList('Jane Doe jane@example.org')).toEqual([mailbox('Jane Doe', 'jane@example.org')]);
  });

  it('an unterminated quote, comment, angle bracket or literal', () => {
    expect(parseAddressList('"Jane <jane@example.org>')).toEqual([mailbox('"Jane', 'jane@example.org')]);
    expect(parseAddressList('jane@example.org (Jane')).toEqual([mailbox('Jane', 'jane@example.org')]);
    expect(parseAddressList('Jane <jane@example.org')).toEqual([mailbox('Jane', 'jane@example.org')]);
    expect(parseAddressList('x@[192.0.2.1')).toEqual([mailbox('', 'x@[192.0.2.1]')]);
  });

  it('a local name without a domain, raw UTF-8 names (RFC 6532), an unclosed group', () => {
    expect(parseAddressList('root')).toEqual([mailbox('', 'root')]);
    expect(parseAddressList('Jörg Müller <j@x.test>')).toEqual([mailbox('Jörg Müller', 'j@x.test')]);
    expect(parseAddressList('Team: a@x.test')).toEqual([
      { kind: 'group', name: 'Team', members: [member('', 'a@x.test')] },
    ]);
  });

  it('nothing but whitespace and comments is an empty list', () => {
    expect(parseAddressList('')).toEqual([]);
    expect(parseAddressList('  (nobody) ,  ')).toEqual([]);
  });
});

describe('firstAddress and mailboxesOf', () => {
  it('the first mailbox, group members included, without reading past it', () => {
    expect(firstAddress('Team: "Doe, Jane" <jd@x.test>, b@x.test;')).toEqual(
      member('Doe, Jane', 'jd@x.test'),
    );
    expect(firstAddress('a@x.test, "unterminated')).toEqual(member('', 'a@x.test'));
    expect(firstAddress('undisclosed-recipients:;')).toBeUndefined();
  });

  it('flattens groups in place', () => {
    expect(mailboxesOf(parseAddressList('a@x.test, G: b@x.test, c@x.test;, d@x.test'))).toEqual([
      member('', 'a@x.test'),
      member('', 'b@x.test'),
      member('', 'c@x.test'),
      member('', 'd@x.test'),
    ]);
  });
});

describe('formatting: a display name is quoted only where it needs it (RFC 5322 §3.2.5)', () => {
  it('atoms separated by single spaces stay as they are, UTF-8 included (RFC 6532)', () => {
    expect(formatPhrase('Carol Example')).toBe('Carol Example');
    expect(formatPhrase('Müller & Söhne')).toBe('Müller & Söhne');
    expect(formatPhrase("O'Brien")).toBe("O'Brien");
    expect(formatPhrase('Иван Петров')).toBe('Иван Петров');
  });

  it('specials, doubled or outer spaces and quotes are quoted, with quoted pairs', () => {
    expect(formatPhrase('Doe, Jane')).toBe('"Doe, Jane"');
    expect(formatPhrase('Joe Q. Public')).toBe('"Joe Q. Public"');
    expect(formatPhrase('a  b')).toBe('"a  b"');
    expect(formatPhrase(' a')).toBe('" a"');
    expect(formatPhrase('Giant; "Big" Box')).toBe('"Giant; \\"Big\\" Box"');
    expect(formatPhrase('back\\slash')).toBe('"back\\\\slash"');
    expect(formatPhrase('user@host')).toBe('"user@host"');
  });

  it('mailboxes, groups and the null address', () => {
    expect(formatMailbox(member('', 'a@x.test'))).toBe('a@x.test');
    expect(formatMailbox(member('', ''))).toBe('<>');
    expect(
      formatAddressList(
        parseAddressList('"Carol Example" <carol@example.org>, Team: "Doe, Jane" <jd@x.test>;, e:;'),
      ),
    ).toBe('Carol Example <carol@example.org>, Team: "Doe, Jane" <jd@x.test>;, e:;');
  });
});
