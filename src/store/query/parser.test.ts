import { describe, expect, it } from 'vitest';
import { MamoriError } from '../../core/errors.js';
import type { QueryNode } from './ast.js';
import { parseQuery } from './parser.js';

/** The tree as compact text, so precedence tests read like the queries they check. */
function show(node: QueryNode): string {
  switch (node.type) {
    case 'and':
      return `and(${node.children.map(show).join(', ')})`;
    case 'or':
      return `or(${node.children.map(show).join(', ')})`;
    case 'not':
      return `not(${show(node.child)})`;
    case 'text':
      return node.value.pattern ? `~${node.value.text}` : JSON.stringify(node.value.text);
    case 'term':
      return `${node.field}=${node.value.pattern ? '~' : ''}${JSON.stringify(node.value.text)}`;
    case 'exists':
      return `${node.field}=*`;
    case 'range': {
      const lo = node.lower ? `${node.lower.inclusive ? '[' : '{'}${node.lower.text}` : '[*';
      const hi = node.upper ? `${node.upper.text}${node.upper.inclusive ? ']' : '}'}` : '*]';
      return `${node.field}:${lo}..${hi}`;
    }
  }
}

const p = (text: string): string => show(parseQuery(text));

function errorOf(text: string): MamoriError {
  try {
    parseQuery(text);
  } catch (e) {
    expect(e).toBeInstanceOf(MamoriError);
    expect((e as MamoriError).code).toBe('MAMORI_E_QUERY');
    return e as MamoriError;
  }
  throw new Error(`expected ${JSON.stringify(text.slice(0, 50))} to fail`);
}

describe('parseQuery: terms', () => {
  it('parses the empty query as match-all', () => {
    expect(parseQuery('')).toEqual({ type: 'and', children: [] });
    expect(parseQuery(' \t\n\u3000 ')).toEqual({ type: 'and', children: [] });
  });

  it('parses field terms, phrases and free text', () => {
    expect(p('user.name:alice')).toBe('user.name="alice"');
    expect(p('user.name:"alice smith"')).toBe('user.name="alice smith"');
    expect(p('failed')).toBe('"failed"');
    expect(p('"failed password"')).toBe('"failed password"');
    expect(p('@timestamp:x _f:y winlog.event_data.Image:z a-b.c@d:1')).toBe(
      'and(@timestamp="x", _f="y", winlog.event_data.Image="z", a-b.c@d="1")',
    );
  });

  it('keeps the value offset for error messages', () => {
    const node = parseQuery('a AND source.port:abc');
    expect(node).toMatchObject({ children: [{}, { type: 'term', value: { text: 'abc', offset: 18 } }] });
  });

  it('lets an unquoted value run to the next space or parenthesis, colons included', () => {
    expect(p('source.ip:2001:db8::1')).toBe('source.ip="2001:db8::1"');
    expect(p('source.ip:2001:db8::/32 x')).toBe('and(source.ip="2001:db8::/32", "x")');
    expect(p('url.full:http://a/b?c=d')).toBe('url.full=~"http://a/b?c=d"');
    expect(p('(a:b)')).toBe('a="b"');
  });

  it('handles escapes in quoted values: only \\" and \\\\', () => {
    expect(parseQuery('f:"a\\"b\\\\c"')).toMatchObject({ value: { text: 'a"b\\c' } });
    expect(parseQuery('f:"C:\\Windows\\System32"')).toMatchObject({ value: { text: 'C:\\Windows\\System32' } });
    expect(parseQuery('f:"adm*"')).toMatchObject({ value: { text: 'adm*', pattern: null } });
  });

  it('handles escapes in unquoted values', () => {
    expect(parseQuery('f:a\\ b\\(c\\)')).toMatchObject({ value: { text: 'a b(c)', pattern: null } });
    expect(parseQuery('f:adm\\*')).toMatchObject({ value: { text: 'adm*', pattern: null } });
    expect(parseQuery('f:C:\\Windows\\cmd.exe')).toMatchObject({ value: { text: 'C:\\Windows\\cmd.exe' } });
    expect(parseQuery('a\\:b')).toMatchObject({ type: 'text', value: { text: 'a:b' } });
    expect(parseQuery('f:x\\')).toMatchObject({ value: { text: 'x\\' } });
  });

  it('splits wildcard values into parts', () => {
    expect(parseQuery('user.name:a\\*d*m?n')).toMatchObject({
      value: {
        text: 'a*d*m?n',
        pattern: [{ kind: 'literal', text: 'a*d' }, { kind: 'any' }, { kind: 'literal', text: 'm' }, { kind: 'one' }, { kind: 'literal', text: 'n' }],
      },
    });
    expect(p('fail*')).toBe('~fail*');
  });

  it('parses field:* as exists, but not "*" or \\*', () => {
    expect(p('user.name:*')).toBe('user.name=*');
    expect(p('user.name:"*"')).toBe('user.name="*"');
    expect(p('user.name:\\*')).toBe('user.name="*"');
    expect(p('user.name:*x')).toBe('user.name=~"*x"');
  });
});

describe('parseQuery: ranges and comparisons', () => {
  it('parses inclusive, exclusive and open ranges', () => {
    expect(p('destination.port:[1 TO 1024]')).toBe('destination.port:[1..1024]');
    expect(p('destination.port:{1 TO 1024}')).toBe('destination.port:{1..1024}');
    expect(p('destination.port:[1 to 1024}')).toBe('destination.port:[1..1024}');
    expect(p('n:[* TO 5]')).toBe('n:[*..5]');
    expect(p('n:[5 TO *]')).toBe('n:[5..*]');
    expect(p('@timestamp:[2024-05-01T00:00:00Z TO 2024-05-02]')).toBe('@timestamp:[2024-05-01T00:00:00Z..2024-05-02]');
    expect(p('source.ip:[10.0.0.1 TO 2001:db8::1]')).toBe('source.ip:[10.0.0.1..2001:db8::1]');
    expect(p('t:["2024-05-01 10:00" TO "2024-05-02 10:00"]')).toBe('t:[2024-05-01 10:00..2024-05-02 10:00]');
  });

  it('parses comparison operators in both forms', () => {
    expect(p('network.bytes>10000000')).toBe('network.bytes:{10000000..*]');
    expect(p('network.bytes:>=5')).toBe('network.bytes:[5..*]');
    expect(p('n<5')).toBe('n:[*..5}');
    expect(p('n:<=5')).toBe('n:[*..5]');
    expect(p('t>"2024-05-01 10:00"')).toBe('t:{2024-05-01 10:00..*]');
  });

  it('reports malformed ranges', () => {
    expect(errorOf('n:[1 1024]').message).toMatch(/expected ' TO '/);
    expect(errorOf('n:[1TO 5]').message).toMatch(/expected ' TO '/);
    expect(errorOf('n:[1 TO 5').message).toMatch(/expected '\]' or '\}'.*column 3/);
    expect(errorOf('n:[ TO 5]').message).toMatch(/expected ' TO '|expected a value/);
    expect(errorOf('n:[a* TO 5]').message).toMatch(/wildcards are not allowed/);
    expect(errorOf('n:>').message).toMatch(/expected a value/);
    expect(errorOf('n:>*').message).toMatch(/not \*/);
  });
});

describe('parseQuery: boolean structure', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(p('a OR b AND c')).toBe('or("a", and("b", "c"))');
    expect(p('a AND b OR c')).toBe('or(and("a", "b"), "c")');
    expect(p('NOT a AND b')).toBe('and(not("a"), "b")');
    expect(p('a OR NOT b c')).toBe('or("a", and(not("b"), "c"))');
  });

  it('treats adjacent terms as AND', () => {
    expect(p('a b c')).toBe('and("a", "b", "c")');
    expect(p('a b OR c d')).toBe('or(and("a", "b"), and("c", "d"))');
  });

  it('accepts keywords in any case and the symbol forms', () => {
    expect(p('a and b or not c')).toBe('or(and("a", "b"), not("c"))');
    expect(p('a && b || !c')).toBe('or(and("a", "b"), not("c"))');
    expect(p('a&&b')).toBe('"a&&b"');
    expect(p('-a -f:b')).toBe('and(not("a"), not(f="b"))');
    expect(p('! a')).toBe('not("a")');
    expect(p('NOT(a)')).toBe('not("a")');
    expect(p('NOT NOT a')).toBe('not(not("a"))');
  });

  it('keeps words that only look like keywords', () => {
    expect(p('android ORACLE notepad')).toBe('and("android", "ORACLE", "notepad")');
    expect(p('"AND"')).toBe('"AND"');
    expect(p('a - b')).toBe('and("a", "-", "b")');
  });

  it('groups with parentheses', () => {
    expect(p('(a OR b) c')).toBe('and(or("a", "b"), "c")');
    expect(p('((a))')).toBe('"a"');
    expect(p('NOT (a OR b)')).toBe('not(or("a", "b"))');
  });

  it('applies a field to a parenthesised group', () => {
    expect(p('user.name:(alice OR "bob smith")')).toBe('or(user.name="alice", user.name="bob smith")');
    expect(p('user.name:(alice bob)')).toBe('and(user.name="alice", user.name="bob")');
    expect(p('n:(>5 OR [1 TO 2] OR *)')).toBe('or(n:{5..*], n:[1..2], n=*)');
    expect(p('source.ip:(10.0.0.1 OR 2001:db8::1)')).toBe('or(source.ip="10.0.0.1", source.ip="2001:db8::1")');
    expect(p('f:(a OR (b -c))')).toBe('or(f="a", and(f="b", not(f="c")))');
    expect(p('f:(a:b)')).toBe('f="a:b"');
  });
});

describe('parseQuery: errors', () => {
  it('points at the problem with a 1-based column and a 0-based offset', () => {
    const e = errorOf('a AND (b OR');
    expect(e.message).toBe('expected a search term at the end of the query (column 12)');
    expect(e.details).toEqual({ offset: 11, column: 12 });
  });

  it('reports each kind of syntax error', () => {
    expect(errorOf('(a b').message).toMatch(/missing '\)' to close the '\(' at column 1/);
    expect(errorOf('a b)').message).toMatch(/unexpected '\)'.*column 4/);
    expect(errorOf('()').message).toMatch(/empty parentheses/);
    expect(errorOf('OR a').message).toMatch(/before "OR".*column 1/);
    expect(errorOf('a AND').message).toMatch(/end of the query/);
    expect(errorOf('a OR OR b').message).toMatch(/before "OR".*column 6/);
    expect(errorOf('NOT').message).toMatch(/end of the query/);
    expect(errorOf('f:').message).toMatch(/expected a value after "f:"/);
    expect(errorOf('f: x').message).toMatch(/expected a value after "f:"/);
    expect(errorOf('f:"abc').message).toMatch(/unterminated quoted string \(column 3\)/);
    expect(errorOf('"a\\"').message).toMatch(/unterminated/);
    expect(errorOf('f:(').message).toMatch(/end of the query|empty/);
  });

  it('rejects invalid field names', () => {
    expect(errorOf('1abc:x').message).toMatch(/invalid field name "1abc"/);
    expect(errorOf('a$b:x').message).toMatch(/invalid field name "a\$b"/);
    expect(errorOf(':x').message).toMatch(/invalid field name ""/);
    expect(errorOf('<script>').message).toMatch(/invalid field name/);
    expect(errorOf('x y ü:1').message).toMatch(/column 5/);
  });

  it('bounds the length, the nesting depth and the number of terms', () => {
    expect(errorOf('a'.repeat(10_001)).message).toMatch(/too long: 10001 characters/);
    expect(errorOf('x'.repeat(10 * 1024 * 1024)).message).toMatch(/too long/);
    expect(errorOf('('.repeat(4000) + 'a' + ')'.repeat(4000)).message).toMatch(/nests too deeply/);
    expect(errorOf('NOT '.repeat(65) + 'a').message).toMatch(/nests too deeply/);
    expect(errorOf('-'.repeat(100) + 'a').message).toMatch(/nests too deeply/);
    expect(errorOf('f:('.repeat(65) + 'a' + ')'.repeat(65)).message).toMatch(/nests too deeply/);
    expect(errorOf('a '.repeat(1001)).message).toMatch(/too many terms/);
    expect(() => parseQuery('('.repeat(64) + 'a' + ')'.repeat(64))).not.toThrow();
    expect(() => parseQuery('a '.repeat(1000))).not.toThrow();
  });

  it('never throws anything but MAMORI_E_QUERY on junk', () => {
    const junk = ['\0', '\\', '"', '[', ']', '{', '}', ':', '>', '(', ')', '*', '?', '!', '-', '&&', '||', 'TO', '\ud800', 'f:[', 'f:{1 TO', 'f:[1 TO 2]]'];
    let state = 7;
    for (let run = 0; run < 2000; run++) {
      let text = '';
      for (let i = 0; i < 8; i++) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        text += junk[state % junk.length] + (state % 3 === 0 ? ' ' : '');
      }
      try {
        parseQuery(text);
      } catch (e) {
        expect((e as MamoriError).code, text).toBe('MAMORI_E_QUERY');
      }
    }
  });
});
