import { describe, expect, it } from 'vitest';
import { ParseError } from './parser.js';
import { attr, child, decodeEntities, MAX_XML_DEPTH, parseXml } from './windows-xml.js';

const MB = 1 << 20;

function timed<T>(fn: () => T): T {
  const started = performance.now();
  const result = fn();
  // Generous: catches quadratic scans (minutes), not machine noise.
  expect(performance.now() - started).toBeLessThan(2000);
  return result;
}

describe('decodeEntities', () => {
  it('decodes the predefined and numeric entities', () => {
    expect(decodeEntities('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#x41;&#66;&#x1F600;')).toBe(`<a> & "b" 'c' AB😀`);
  });

  it('keeps unknown, invalid and unterminated references as written', () => {
    expect(decodeEntities('&nbsp; &#xD800; &#x110000; &#; &#xZZ; & alone &amp')).toBe('&nbsp; &#xD800; &#x110000; &#; &#xZZ; & alone &amp');
  });

  it('stays linear on ampersand runs with a far semicolon', () => {
    const s = '&'.repeat(MB) + ';';
    expect(timed(() => decodeEntities(s))).toBe(s);
  });
});

describe('parseXml', () => {
  it('reads elements, attributes in both quotes, text, CDATA, comments and a prolog', () => {
    const root = parseXml(
      `\ufeff<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><ev:Event xmlns:ev="urn:x" xmlns="urn:y"><A k='1 "q"' ev:j="x&amp;y">t&lt;1<![CDATA[<raw & "kept">]]><!-- skip -->2</A><B/></ev:Event>\n`,
    );
    expect(root.name).toBe('Event');
    expect(root.attrs).toEqual([]);
    const a = child(root, 'A')!;
    expect(attr(a, 'k')).toBe('1 "q"');
    expect(attr(a, 'j')).toBe('x&y');
    expect(a.text).toBe('t<1<raw & "kept">2');
    expect(child(root, 'B')).toEqual({ name: 'B', attrs: [], children: [], text: '' });
  });

  it.each([
    ['<Event><A></B></Event>', 'does not match'],
    ['<Event><A>', 'unclosed element "A"'],
    ['<Event a=1/>', 'not quoted'],
    ['<Event a="1/>', 'unterminated attribute value'],
    ['<Event a/>', 'without a value'],
    ['<Event a="1"b="2"/>', 'no space between attributes'],
    ['<Event', 'unterminated start tag'],
    ['<Event><!-- x</Event>', 'unterminated comment'],
    ['<Event><![CDATA[x</Event>', 'unterminated CDATA'],
    ['<Event/><Event/>', 'a second root element'],
    ['text<Event/>', 'text outside the root element'],
    ['', 'no root element'],
    ['<!DOCTYPE lolz [<!ENTITY lol "lol">]><Event>&lol;</Event>', 'DTDs and declarations are not accepted'],
  ])('rejects %j', (xml, reason) => {
    expect(() => parseXml(xml)).toThrow(ParseError);
    expect(() => parseXml(xml)).toThrow(reason);
  });

  it(`accepts ${MAX_XML_DEPTH} levels and rejects one more, without recursion`, () => {
    const nest = (n: number): string => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(parseXml(nest(MAX_XML_DEPTH)).name).toBe('a');
    expect(() => parseXml(nest(MAX_XML_DEPTH + 1))).toThrow(`nested deeper than ${MAX_XML_DEPTH}`);
    expect(() => timed(() => parseXml(nest(200_000)))).toThrow(ParseError);
  });

  it('handles huge attribute values, texts and sibling counts in linear time', () => {
    expect(attr(timed(() => parseXml(`<a v="${'x'.repeat(MB)}"/>`)), 'v')).toHaveLength(MB);
    expect(timed(() => parseXml(`<a>${'&amp;'.repeat(200_000)}</a>`)).text).toBe('&'.repeat(200_000));
    expect(timed(() => parseXml(`<a>${'<b/>'.repeat(MB / 4)}</a>`)).children).toHaveLength(MB / 4);
    expect(() => timed(() => parseXml(`<a v="${'x'.repeat(MB)}`))).toThrow(ParseError);
    expect(() => timed(() => parseXml('<a>' + '<!--'.repeat(MB / 4)))).toThrow(ParseError);
  });
});
