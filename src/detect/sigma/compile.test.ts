import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../../core/event.js';
import { reasonOf, ruleFrom } from './test-support.js';

/** Each case: a detection body, events that must match, events that must not. */
interface Case {
  name: string;
  detection: string;
  match: MamoriEvent[];
  miss: MamoriEvent[];
}

const ed = (fields: Record<string, string>): MamoriEvent => Object.fromEntries(Object.entries(fields).map(([k, v]) => [`winlog.event_data.${k}`, v]));

const cases: Case[] = [
  {
    name: 'plain value: whole-value, case-insensitive',
    detection: "sel:\n  Image: 'C:\\Windows\\System32\\whoami.exe'\ncondition: sel",
    match: [ed({ Image: 'c:\\windows\\system32\\WHOAMI.EXE' })],
    miss: [ed({ Image: 'C:\\Windows\\System32\\whoami.exe2' }), {}],
  },
  {
    name: 'map is AND',
    detection: 'sel:\n  A: x\n  B: y\ncondition: sel',
    match: [{ A: 'x', B: 'Y' }],
    miss: [{ A: 'x' }, { A: 'x', B: 'z' }],
  },
  {
    name: 'list of maps is OR',
    detection: 'sel:\n  - A: x\n  - B: y\ncondition: sel',
    match: [{ A: 'x' }, { B: 'y' }],
    miss: [{ A: 'y', B: 'x' }],
  },
  {
    name: 'value list is OR',
    detection: 'sel:\n  A:\n    - x\n    - y\ncondition: sel',
    match: [{ A: 'x' }, { A: 'Y' }],
    miss: [{ A: 'z' }],
  },
  {
    name: 'contains',
    detection: "sel:\n  CommandLine|contains: ' -enc '\ncondition: sel",
    match: [ed({ CommandLine: 'powershell -ENC abc' })],
    miss: [ed({ CommandLine: 'powershell -encodedcommand' })],
  },
  {
    name: 'startswith / endswith',
    detection: "a:\n  Image|startswith: 'C:\\Users\\'\nb:\n  Image|endswith: '\\evil.exe'\ncondition: a and b",
    match: [ed({ Image: 'c:\\users\\bob\\EVIL.exe' })],
    miss: [ed({ Image: 'd:\\users\\bob\\evil.exe' }), ed({ Image: 'c:\\users\\bob\\evil.exe.txt' })],
  },
  {
    name: 'contains|all is AND over values',
    detection: 'sel:\n  CommandLine|contains|all:\n    - a\n    - b\ncondition: sel',
    match: [{ CommandLine: 'xbxa' }],
    miss: [{ CommandLine: 'xax' }],
  },
  {
    name: 'wildcards in plain values',
    detection: "sel:\n  A: 'ab?d*'\ncondition: sel",
    match: [{ A: 'abcd' }, { A: 'ABXDEFG' }],
    miss: [{ A: 'abd' }, { A: 'xabcd' }],
  },
  {
    name: 'escaped wildcard is a literal',
    detection: "sel:\n  A: 'a\\*b'\ncondition: sel",
    match: [{ A: 'a*b' }],
    miss: [{ A: 'axb' }],
  },
  {
    name: 'escaped backslash before a wildcard',
    detection: "sel:\n  A: 'dir\\\\*'\ncondition: sel",
    match: [{ A: 'dir\\file' }],
    miss: [{ A: 'dir*' }, { A: 'dirfile' }],
  },
  {
    name: 'cased',
    detection: 'sel:\n  A|cased: Foo\ncondition: sel',
    match: [{ A: 'Foo' }],
    miss: [{ A: 'foo' }],
  },
  {
    name: 'contains|cased',
    detection: 'sel:\n  A|contains|cased: Foo\ncondition: sel',
    match: [{ A: 'xFoox' }],
    miss: [{ A: 'xfoox' }],
  },
  {
    name: 'numbers match numeric and string values',
    detection: 'sel:\n  EventID: 4624\n  LogonType: 3\ncondition: sel',
    match: [{ 'event.code': '4624', 'winlog.event_data.LogonType': '3' }, { EventID: 4624, LogonType: 3 }],
    miss: [{ 'event.code': '4625', 'winlog.event_data.LogonType': '3' }, { EventID: '04624x', LogonType: 3 }],
  },
  {
    name: 'hex numbers from YAML match hex text',
    detection: 'sel:\n  TicketEncryption: 0x17\ncondition: sel',
    match: [ed({ TicketEncryption: '0x17' }), ed({ TicketEncryption: '23' })],
    miss: [ed({ TicketEncryption: '0x12' })],
  },
  {
    name: 'string values match numbers and booleans',
    detection: "sel:\n  A: '3'\n  B: 'true'\ncondition: sel",
    match: [{ A: 3, B: true }],
    miss: [{ A: 4, B: true }],
  },
  {
    name: 'boolean values',
    detection: 'sel:\n  A: false\ncondition: sel',
    match: [{ A: false }, { A: 'False' }],
    miss: [{ A: true }, {}],
  },
  {
    name: 'null matches a missing or null field',
    detection: 'sel:\n  A: x\nfilter:\n  B: null\ncondition: sel and filter',
    match: [{ A: 'x' }, { A: 'x', B: null }],
    miss: [{ A: 'x', B: '' }, { A: 'x', B: 'y' }],
  },
  {
    name: 'empty string matches only an empty value',
    detection: "sel:\n  A: ''\ncondition: sel",
    match: [{ A: '' }],
    miss: [{}, { A: 'x' }],
  },
  {
    name: 'exists true / false',
    detection: 'a:\n  A|exists: true\nb:\n  B|exists: false\ncondition: a and b',
    match: [{ A: '' }, { A: null }],
    miss: [{}, { A: 'x', B: 'y' }],
  },
  {
    name: 'array fields match when any element matches',
    detection: 'sel:\n  event.category: process\n  related.ip|cidr: 10.0.0.0/8\ncondition: sel',
    match: [{ 'event.category': ['network', 'process'], 'related.ip': ['192.168.1.1', '10.2.3.4'] }],
    miss: [{ 'event.category': ['network'], 'related.ip': ['10.2.3.4'] }],
  },
  {
    name: 'all over an array: each value may match a different element',
    detection: 'sel:\n  tags|all:\n    - a\n    - b\ncondition: sel',
    match: [{ tags: ['b', 'a'] }],
    miss: [{ tags: ['a', 'c'] }],
  },
  {
    name: 're is case-sensitive by default',
    detection: "sel:\n  A|re: '^a[0-9]+z$'\ncondition: sel",
    match: [{ A: 'a123z' }],
    miss: [{ A: 'A123Z' }, { A: 'a12z3' }],
  },
  {
    name: 're|i, re|m, re|s',
    detection: "i:\n  A|re|i: '^abc$'\nm:\n  B|re|m: '^two$'\ns:\n  C|re|s: 'x.y'\ncondition: i and m and s",
    match: [{ A: 'ABC', B: 'one\ntwo\nthree', C: 'x\ny' }],
    miss: [{ A: 'ABC', B: 'one two', C: 'x\ny' }, { A: 'ABC', B: 'two', C: 'x\n\ny' }],
  },
  {
    name: 're with a leading PCRE inline flag',
    detection: "sel:\n  A|re: '(?i)evil'\ncondition: sel",
    match: [{ A: 'EVIL' }],
    miss: [{ A: 'good' }],
  },
  {
    name: 'cidr IPv4 and IPv6',
    detection: "sel:\n  DestinationIp|cidr:\n    - 192.168.0.0/16\n    - 'fd00::/8'\ncondition: sel",
    match: [ed({ DestinationIp: '192.168.4.5' }), ed({ DestinationIp: 'fd12:3456::1' })],
    miss: [ed({ DestinationIp: '192.169.0.1' }), ed({ DestinationIp: 'fe80::1' }), ed({ DestinationIp: 'not-an-ip' })],
  },
  {
    name: 'cidr with a non-octet prefix',
    detection: "sel:\n  ip|cidr: '10.0.0.0/12'\ncondition: sel",
    match: [{ ip: '10.15.255.255' }],
    miss: [{ ip: '10.16.0.0' }],
  },
  {
    name: 'base64',
    detection: "sel:\n  A|base64: 'cmd'\ncondition: sel",
    match: [{ A: Buffer.from('cmd').toString('base64') }],
    miss: [{ A: Buffer.from('cmd').toString('base64').toLowerCase() }],
  },
  {
    name: 'base64|contains',
    detection: "sel:\n  A|base64|contains: 'http://'\ncondition: sel",
    match: [{ A: `xx${Buffer.from('http://').toString('base64')}yy` }],
    miss: [{ A: 'aHR0cDovL' }],
  },
  {
    name: 'base64offset|contains finds the value at any byte offset',
    detection: "sel:\n  CommandLine|base64offset|contains: 'IEX'\ncondition: sel",
    match: [0, 1, 2].map((n) => ({ CommandLine: `powershell -enc ${Buffer.from(`${'x'.repeat(n)}IEX (New-Object)`).toString('base64')}` })),
    miss: [{ CommandLine: `powershell -enc ${Buffer.from('iex (New-Object)').toString('base64')}` }],
  },
  {
    name: 'wide|base64offset|contains (PowerShell -enc)',
    detection: "sel:\n  CommandLine|wide|base64offset|contains: 'Invoke-Mimikatz'\ncondition: sel",
    match: [0, 1, 2, 3].map((n) => ({ CommandLine: `-e ${Buffer.from(`${'a'.repeat(n)}Invoke-Mimikatz -Dump`, 'utf16le').toString('base64')}` })),
    miss: [{ CommandLine: `-e ${Buffer.from('Invoke-Mimikatz', 'utf8').toString('base64')}` }],
  },
  {
    name: 'utf16le / utf16be / utf16 with base64',
    detection: "le:\n  A|utf16le|base64: 'ab'\nbe:\n  B|utf16be|base64: 'ab'\nbom:\n  C|utf16|base64: 'ab'\ncondition: le and be and bom",
    match: [{ A: Buffer.from('a\0b\0', 'latin1').toString('base64'), B: Buffer.from('\0a\0b', 'latin1').toString('base64'), C: Buffer.from('\xff\xfea\0b\0', 'latin1').toString('base64') }],
    miss: [{ A: Buffer.from('ab').toString('base64'), B: Buffer.from('\0a\0b', 'latin1').toString('base64'), C: 'x' }],
  },
  {
    name: 'windash: - / en dash, em dash, horizontal bar are interchangeable',
    detection: "sel:\n  CommandLine|windash|contains: ' -exec bypass'\ncondition: sel",
    match: [' -exec bypass', ' /exec bypass', ' \u2013exec bypass', ' \u2014exec bypass', ' \u2015exec bypass'].map((s) => ({ CommandLine: `ps${s}` })),
    miss: [{ CommandLine: 'ps +exec bypass' }],
  },
  {
    name: 'contains|windash (windash after contains)',
    detection: "sel:\n  CommandLine|contains|windash: '/s '\ncondition: sel",
    match: [{ CommandLine: 'x -s y' }],
    miss: [{ CommandLine: 'x s y' }],
  },
  {
    name: 'neq on strings: different from every value, missing counts as different',
    detection: 'sel:\n  A|neq:\n    - x\n    - y\ncondition: sel',
    match: [{ A: 'z' }, {}],
    miss: [{ A: 'X' }, { A: 'y' }],
  },
  {
    name: 'gt / gte / lt / lte',
    detection: 'a:\n  N|gt: 10\nb:\n  N|lte: 20\nc:\n  M|gte: 5\nd:\n  M|lt: 6\ncondition: a and b and c and d',
    match: [{ N: '11', M: 5 }, { N: 20, M: '5.5' }],
    miss: [{ N: 10, M: 5 }, { N: 21, M: 5 }, { N: 15, M: 6 }, { N: 'abc', M: 5 }],
  },
  {
    name: 'fieldref equality and fieldref|neq',
    detection: 'same:\n  TargetUserName|fieldref: SubjectUserName\ndiff:\n  A|fieldref|neq: B\ncondition: same and diff',
    match: [ed({ TargetUserName: 'Bob', SubjectUserName: 'bob', A: '1', B: '2' })],
    miss: [ed({ TargetUserName: 'Bob', SubjectUserName: 'alice', A: '1', B: '2' }), ed({ TargetUserName: 'bob', SubjectUserName: 'bob', A: '1', B: '1' })],
  },
  {
    name: 'fieldref|contains',
    detection: 'sel:\n  CommandLine|fieldref|contains: User\ncondition: sel',
    match: [{ CommandLine: 'net user BOB /add', User: 'bob' }],
    miss: [{ CommandLine: 'net user alice', User: 'bob' }, { CommandLine: 'x' }],
  },
  {
    name: 'expand with placeholder values',
    detection: "sel:\n  User|expand: '%Admins%'\ncondition: sel",
    match: [{ User: 'root' }, { User: 'ADM-bob' }],
    miss: [{ User: 'bob' }],
  },
  {
    name: 'keywords search message and event.original as substrings',
    detection: "keywords:\n  - 'event::clear'\n  - 'lsadump'\ncondition: keywords",
    match: [{ message: 'mimikatz # EVENT::Clear' }, { 'event.original': 'x lsadump::sam' }],
    miss: [{ message: 'event clear' }, { other: 'lsadump' }],
  },
  {
    name: "keywords with '|all'",
    detection: "keywords:\n  '|all':\n    - OabVirtualDirectory\n    - ' -ExternalUrl '\ncondition: keywords",
    match: [{ message: 'Set-OabVirtualDirectory -ExternalUrl http://x' }],
    miss: [{ message: 'Set-OabVirtualDirectory' }],
  },
  {
    name: 'time modifiers compare a part of a date (UTC) as a number, alone or with gt/gte/lt/lte',
    detection: "night:\n  '@timestamp|hour|gte': 22\nlate:\n  '@timestamp|hour|lt': 5\nnewyear:\n  '@timestamp|month': 1\n  '@timestamp|day': 1\ncondition: night or late or newyear",
    match: [{ '@timestamp': '2024-05-01T23:10:00.000Z' }, { '@timestamp': '2024-05-01T04:59:59.999Z' }, { '@timestamp': '2024-01-01T12:00:00Z' }, { '@timestamp': 1714604400 }],
    miss: [{ '@timestamp': '2024-05-01T12:00:00.000Z' }, { '@timestamp': 'not a date' }, {}],
  },
  {
    name: 'time modifiers: minute, ISO week and year',
    detection: "sel:\n  'T|minute': 30\n  'T|week': 1\n  'T|year': 2025\ncondition: sel",
    // 2024-12-30 is a Monday in ISO week 1 of 2025, but its year is 2024.
    match: [{ T: '2025-01-02T08:30:00Z' }],
    miss: [{ T: '2024-12-30T08:30:00Z' }, { T: '2025-01-06T08:30:00Z' }, { T: '2025-01-02T08:31:00Z' }],
  },
  {
    name: 'Windows header fields map to ECS',
    detection: "sel:\n  Channel: Security\n  Provider_Name: Microsoft-Windows-Security-Auditing\ncondition: sel",
    match: [{ 'winlog.channel': 'Security', 'winlog.provider_name': 'Microsoft-Windows-Security-Auditing' }],
    miss: [{ 'winlog.channel': 'System', 'winlog.provider_name': 'Microsoft-Windows-Security-Auditing' }],
  },
];

describe('Sigma detection language', () => {
  for (const c of cases) {
    it(c.name, () => {
      const match = ruleFrom(c.detection, { placeholders: { Admins: ['root', 'adm-*'] } });
      for (const e of c.match) expect(match(e), `must match ${JSON.stringify(e)}`).toBe(true);
      for (const e of c.miss) expect(match(e), `must not match ${JSON.stringify(e)}`).toBe(false);
    });
  }

  it('never matches object values', () => {
    const match = ruleFrom("sel:\n  A|contains: 'x'\ncondition: sel");
    expect(match({ A: { x: 'x' } })).toBe(false);
    expect(match({ A: [{ x: 'x' }, 'xx'] })).toBe(true);
  });
});

describe('conditions', () => {
  const body = (condition: string) => `a:\n  A: 1\nb:\n  B: 1\nc:\n  C: 1\n_d:\n  D: 1\ncondition: ${condition}`;
  const ev = (...names: string[]): MamoriEvent => Object.fromEntries(names.map((n) => [n, 1]));
  const truth: [string, MamoriEvent, boolean][] = [
    ['a and b', ev('A', 'B'), true],
    ['a and b', ev('A'), false],
    ['a or b', ev('B'), true],
    ['not a', ev('B'), true],
    ['not a', ev('A'), false],
    // not > and > or: "a or b and c" is a or (b and c); "not a and b" is (not a) and b.
    ['a or b and c', ev('A'), true],
    ['a or b and c', ev('B'), false],
    ['not a and b', ev('B'), true],
    ['not a and b', ev('A', 'B'), false],
    ['(a or b) and c', ev('A'), false],
    ['(a or b) and c', ev('B', 'C'), true],
    ['not (a or b)', ev('C'), true],
    ['not not a', ev('A'), true],
    ['1 of them', ev('C'), true],
    ['1 of them', ev('D'), false],
    ['all of them', ev('A', 'B', 'C'), true],
    ['all of them', ev('A', 'B'), false],
    ['1 of _*', ev('D'), true],
    ['2 of them', ev('A', 'C'), true],
    ['2 of them', ev('A'), false],
    ['a AND NOT 1 of b*', ev('A'), true],
  ];
  it.each(truth)('%s on %j → %s', (condition, event, expected) => {
    expect(ruleFrom(body(condition))(event)).toBe(expected);
  });

  it('ORs a list of conditions', () => {
    const match = ruleFrom('a:\n  A: 1\nb:\n  B: 1\ncondition:\n  - a\n  - b');
    expect(match({ B: 1 })).toBe(true);
    expect(match({ C: 1 })).toBe(false);
  });

  it.each([
    ['sel and', 'condition expects a search at end of condition'],
    ['(sel', 'condition expects ")" at end of condition'],
    ['sel)', 'condition has unexpected ")"'],
    ['sel2', 'condition references unknown search "sel2"'],
    ['SEL', 'condition references unknown search "SEL"'],
    ['all of x', 'condition references unknown search "x"'],
    ['1 of filter*', 'condition pattern "filter*" matches no search'],
    ['sel | count() > 5', 'aggregation expressions ("| count() ...") in conditions are not supported; use a correlation rule'],
    ['x of sel', 'condition expects "all" or a count before "of", got "x"'],
    ['sel and or sel', 'condition expects a search at "or"'],
  ])('rejects %s', (condition, reason) => {
    expect(reasonOf(`sel:\n  A: 1\ncondition: ${condition}`)).toBe(reason);
  });

  it('rejects deep nesting with a reason instead of overflowing the stack', () => {
    const deep = `${'('.repeat(5000)}sel${')'.repeat(5000)}`;
    expect(reasonOf(`sel:\n  A: 1\ncondition: '${deep}'`)).toBe('condition nested deeper than 64 levels');
    expect(reasonOf(`sel:\n  A: 1\ncondition: '${'not '.repeat(3000)}sel'`)).toBe('condition nested deeper than 64 levels');
    expect(reasonOf(`sel:\n  A: 1\ncondition: '${'('.repeat(20_000)}sel'`)).toBe('condition longer than 16384 characters');
    expect(ruleFrom(`sel:\n  A: 1\ncondition: '${'('.repeat(60)}sel${')'.repeat(60)}'`)({ A: 1 })).toBe(true);
  });
});

describe('modifier errors', () => {
  it.each([
    ['sel:\n  Image|foo: x\ncondition: sel', 'unknown modifier "foo" in sel.Image|foo'],
    ['sel:\n  T|hour|re: 3\ncondition: sel', 'modifier "hour" cannot be combined with "re" in sel.T|hour|re'],
    ['sel:\n  T|hour|contains: 3\ncondition: sel', 'modifier "contains" cannot be combined with "hour" in sel.T|hour|contains'],
    ['sel:\n  T|hour|minute: 3\ncondition: sel', 'modifier "minute" cannot be combined with "hour" in sel.T|hour|minute'],
    ['sel:\n  T|hour: night\ncondition: sel', 'modifier "hour" needs a number, got "night" in sel.T|hour'],
    ['sel:\n  Image|re|contains: x\ncondition: sel', 'modifier "contains" cannot be combined with "re" in sel.Image|re|contains'],
    ['sel:\n  Image|i: x\ncondition: sel', 'modifier "i" is only valid after "re" in sel.Image|i'],
    ['sel:\n  Image|contains|endswith: x\ncondition: sel', 'only one of "contains", "startswith", "endswith" may be used in sel.Image|contains|endswith'],
    ['sel:\n  Image|contains|contains: x\ncondition: sel', 'repeated modifier "contains" in sel.Image|contains|contains'],
    ['sel:\n  Image|cidr|re: x\ncondition: sel', 'modifier "re" cannot be combined with "cidr" in sel.Image|cidr|re'],
    ['sel:\n  Ip|cidr: 10.0.0.0/33\ncondition: sel', 'invalid CIDR prefix in "10.0.0.0/33" in sel.Ip|cidr'],
    ['sel:\n  Ip|cidr: nope\ncondition: sel', 'invalid CIDR "nope" in sel.Ip|cidr'],
    ['sel:\n  N|gt: abc\ncondition: sel', 'modifier "gt" needs a number, got "abc" in sel.N|gt'],
    ['sel:\n  A|exists: yes\ncondition: sel', 'modifier "exists" takes one boolean value in sel.A|exists'],
    ['sel:\n  A|base64: \'a*\'\ncondition: sel', 'modifier "base64" cannot encode a value with wildcards or placeholders in sel.A|base64'],
    ["sel:\n  A|re: '(a+)+$'\ncondition: sel", 'regular expression risks catastrophic backtracking (nested quantifier at (a+)+) in sel.A|re'],
    ["sel:\n  A|re: '(['\ncondition: sel", 'invalid regular expression: Invalid regular expression: /([/: Unterminated character class in sel.A|re'],
    ["sel:\n  A|expand: '%Servers%'\ncondition: sel", 'placeholder %Servers% has no values in sel.A|expand'],
    ['sel:\n  A: []\ncondition: sel', 'empty value list in sel.A'],
    ['sel:\n  A:\n    b: c\ncondition: sel', 'nested map in sel.A'],
  ])('%s', (detection, reason) => {
    expect(reasonOf(detection)).toBe(reason);
  });
});
