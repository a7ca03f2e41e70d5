import { describe, expect, it } from 'vitest';
import { DROPPED_FIELDS, MAX_FIELDS } from './flatten.js';
import { ParseError } from './parser.js';
import { windows } from './windows.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'UTC' };
const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

interface Sys {
  id?: string;
  channel?: string;
  provider?: string;
  level?: string;
  keywords?: string;
  time?: string;
}

function xml(body: string, s: Sys = {}): string {
  return (
    `<Event xmlns="${NS}"><System><Provider Name="${s.provider ?? 'Microsoft-Windows-Security-Auditing'}"/>` +
    `<EventID>${s.id ?? '4624'}</EventID><Level>${s.level ?? '0'}</Level><Keywords>${s.keywords ?? '0x8020000000000000'}</Keywords>` +
    `<TimeCreated SystemTime="${s.time ?? '2024-04-30T10:00:00.1234567Z'}"/><EventRecordID>7</EventRecordID>` +
    `<Channel>${s.channel ?? 'Security'}</Channel><Computer>host1</Computer></System>${body}</Event>`
  );
}

function data(fields: Record<string, string>): string {
  return '<EventData>' + Object.entries(fields).map(([k, v]) => `<Data Name="${k}">${v}</Data>`).join('') + '</EventData>';
}

function evtx(system: Record<string, unknown>, rest: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
        EventID: 1,
        Level: '4',
        Keywords: '0x8000000000000000',
        TimeCreated: { '#attributes': { SystemTime: '2024-04-30T10:00:00.5Z' } },
        EventRecordID: '1',
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'ws1',
        ...system,
      },
      ...rest,
    },
  });
}

const parse = (line: string): Record<string, unknown> => windows.parse(line, ctx);

describe('windows sniff', () => {
  it.each([
    [xml('')],
    ['  <Event>' + xml('').slice(`<Event xmlns="${NS}">`.length)],
    [evtx({})],
    ['{"@timestamp":"2024-01-01T00:00:00Z","winlog":{"event_id":"4624"}}'],
    ['{"EventTime":"2024-01-01 00:00:00","EventID":4624,"SourceName":"x"}'],
  ])('recognises %s', (line) => {
    expect(windows.sniff!(line)).toBe(true);
  });

  it.each([
    ['{"@timestamp":"2024-01-01T00:00:00Z","message":"hi"}'],
    ['<13>1 2024-05-01T10:00:00Z host app - - - <Event>'],
    ['<Events><Event/></Events>'],
    ['CEF:0|a|b|c|d|e|1|'],
    [''],
  ])('does not claim %s', (line) => {
    expect(windows.sniff!(line)).toBe(false);
  });
});

describe('windows EVTX XML', () => {
  it('keeps unnamed Data items under Data, other elements under their name, and decodes entities', () => {
    const one = parse(xml('<EventData><Data>a &amp; b</Data><Binary>0A0B</Binary></EventData>', { id: '1000', channel: 'Application', provider: 'App' }));
    expect(one['winlog.event_data.Data']).toBe('a & b');
    expect(one['winlog.event_data.Binary']).toBe('0A0B');
    expect(one['event.dataset']).toBe('windows.application');
    const many = parse(xml('<EventData><Data>x</Data><Data/><Data>&lt;y&gt;</Data></EventData>', { id: '1000', channel: 'Application' }));
    expect(many['winlog.event_data.Data']).toEqual(['x', '', '<y>']);
  });

  it('takes message, task and opcode names from RenderingInfo and the event id from <EventID Qualifiers>', () => {
    const event = parse(
      xml('<RenderingInfo Culture="en-US"><Message>The X service entered the running state.</Message><Task>None</Task><Opcode>Info</Opcode></RenderingInfo>', { id: '7036' }).replace(
        '<EventID>',
        '<EventID Qualifiers="16384">',
      ),
    );
    expect(event['event.code']).toBe('7036');
    expect(event.message).toBe('The X service entered the running state.');
    expect(event['winlog.task']).toBe('None');
    expect(event['winlog.opcode']).toBe('Info');
  });

  it('flattens nested UserData below its wrapper element', () => {
    const event = parse(xml('<UserData><Wrap xmlns="urn:x"><A>1</A><B><C>2</C><D>3</D></B></Wrap></UserData>', { id: '1' }));
    expect(event['winlog.user_data.xml_name']).toBe('Wrap');
    expect(event['winlog.user_data.A']).toBe('1');
    expect(event['winlog.user_data.B.C']).toBe('2');
    expect(event['winlog.user_data.B.D']).toBe('3');
  });

  it('reads levels and keywords', () => {
    expect(parse(xml('', { level: '2', keywords: '0x10000000000000' }))['log.level']).toBe('error');
    const failed = parse(xml('', { level: '5', keywords: '0x8010000000000000' }));
    expect(failed['log.level']).toBe('verbose');
    expect(failed['winlog.keywords']).toEqual(['Audit Failure']);
    expect(failed['event.outcome']).toBe('failure');
    expect(parse(xml('', { keywords: '0x0' }))['winlog.keywords']).toBeUndefined();
  });

  it('truncates SystemTime to milliseconds and falls back to the receive time', () => {
    expect(parse(xml('', { time: '2024-04-30T10:00:00.9999999Z' }))['@timestamp']).toBe('2024-04-30T10:00:00.999Z');
    expect(parse(xml('', { time: 'yesterday' }))['@timestamp']).toBe('2024-05-01T12:00:00.000Z');
  });

  it.each([
    [xml('', { id: '70000' }), 'no valid EventID'],
    [xml('', { id: '' }), 'no valid EventID'],
    ['<Events/>', 'XML root is <Events>'],
    [`<Event xmlns="${NS}"><EventData/></Event>`, 'no <System>'],
    [xml('<EventData><Data Name="a">x</EventData>'), 'does not match'],
  ])('rejects %s', (line, reason) => {
    expect(() => parse(line)).toThrow(ParseError);
    expect(() => parse(line)).toThrow(reason);
  });
});

describe('windows evtx-dump JSON', () => {
  it('reads EventID as {#text, #attributes}, EventData #text and null members', () => {
    const event = parse(evtx({ EventID: { '#text': 7036, '#attributes': { Qualifiers: 16384 } }, Channel: 'System' }, { EventData: { '#text': 'raw', x: null, n: 5 } }));
    expect(event['event.code']).toBe('7036');
    expect(event['winlog.event_data.Data']).toBe('raw');
    expect(event['winlog.event_data.x']).toBe('');
    expect(event['winlog.event_data.n']).toBe('5');
  });

  it('accepts a document without the Event wrapper and picks the dataset from the provider when the channel is null', () => {
    const line = JSON.stringify({ System: JSON.parse(evtx({ Channel: null })).Event.System, EventData: null });
    const event = parse(line);
    expect(event['event.dataset']).toBe('windows.sysmon');
    expect(event['winlog.channel']).toBeUndefined();
  });

  it('keeps a 200 KB ScriptBlockText whole', () => {
    const script = 'Write-Host "x";\r\n'.repeat(12_000);
    const event = parse(
      evtx(
        { EventID: 4104, Channel: 'Microsoft-Windows-PowerShell/Operational', Provider: { '#attributes': { Name: 'Microsoft-Windows-PowerShell' } } },
        { EventData: { MessageNumber: '1', MessageTotal: '3', ScriptBlockText: script, ScriptBlockId: 'id-1', Path: 'C:\\s\\a.ps1' } },
      ),
    );
    expect(event['powershell.file.script_block_text']).toBe(script);
    expect(event['winlog.event_data.ScriptBlockText']).toBe(script);
    expect(event['powershell.total']).toBe(3);
    expect(event['file.path']).toBe('C:\\s\\a.ps1');
    expect(event['file.name']).toBe('a.ps1');
  });

  it('caps the number of event data items and counts the rest', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < MAX_FIELDS + 50; i++) many[`k${i}`] = 'v';
    const event = parse(evtx({}, { EventData: many }));
    expect(event[DROPPED_FIELDS]).toBe(50);
    expect(event[`winlog.event_data.k${MAX_FIELDS - 1}`]).toBe('v');
    expect(event[`winlog.event_data.k${MAX_FIELDS}`]).toBeUndefined();
  });

  it('keeps structures inside event data as JSON text, however deep', () => {
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const event = parse(evtx({}, { EventData: { Deep: 'DEEP', List: [1, { b: 2 }] } }).replace('"DEEP"', deep));
    expect(typeof event['winlog.event_data.Deep']).toBe('string');
    expect(event['winlog.event_data.List']).toBe('[1,{"b":2}]');
  });

  it.each([
    ['[1,2]', 'neither a JSON object nor XML'],
    ['{"Event":', 'invalid JSON'],
    ['{"Event":{"System":"x"}}', 'no Event.System'],
    ['plain text', 'neither a JSON object nor XML'],
  ])('rejects %s', (line, reason) => {
    expect(() => parse(line)).toThrow(ParseError);
    expect(() => parse(line)).toThrow(reason);
  });

  it('never throws anything but ParseError on broken surrogates and control characters', () => {
    const event = parse(evtx({ Computer: '\ud800bad\u0000' }, { EventData: { x: '\udfff' } }));
    expect(event['host.name']).toBe('\ud800bad\u0000');
  });
});

describe('windows Winlogbeat JSON', () => {
  it('reads Winlogbeat 7 numbers as the same strings as Winlogbeat 8', () => {
    const line = JSON.stringify({
      '@timestamp': '2024-04-30T10:00:00.123Z',
      winlog: { event_id: 4624, record_id: 99, channel: 'Security', computer_name: 'dc1', provider_name: 'Microsoft-Windows-Security-Auditing', keywords: ['Audit Success'], event_data: { LogonType: 10, IpAddress: '::1', IpPort: '0' } },
      log: { level: 'Information' },
    });
    const event = parse(line);
    expect(event['winlog.event_id']).toBe('4624');
    expect(event['winlog.record_id']).toBe('99');
    expect(event['log.level']).toBe('information');
    expect(event['winlog.logon.type']).toBe('RemoteInteractive');
    expect(event['source.ip']).toBe('::1');
    expect(event['source.port']).toBeUndefined();
    expect(event['event.outcome']).toBe('success');
    expect(event['host.name']).toBe('dc1');
  });
});

describe('windows NXLog JSON', () => {
  const nx = (fields: Record<string, unknown>): string =>
    JSON.stringify({ EventTime: '2024-04-30 19:00:00', Hostname: 'h', EventID: 4625, SourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', ...fields });

  it('reads EventTime without an offset in the source time zone', () => {
    expect(windows.parse(nx({}), { received: ctx.received, timezone: 'Asia/Tokyo' })['@timestamp']).toBe('2024-04-30T10:00:00.000Z');
    expect(parse(nx({ EventTime: '2024-04-30T19:00:00.25+09:00' }))['@timestamp']).toBe('2024-04-30T10:00:00.250Z');
  });

  it('reads keywords as a signed 64-bit number, and EventType when there is no mask', () => {
    expect(parse('{"EventID":4625,"SourceName":"x","Channel":"Security","Keywords":-9218868437227405312}')['winlog.keywords']).toEqual(['Audit Failure']);
    expect(parse(nx({ EventType: 'AUDIT_FAILURE' }))['winlog.keywords']).toEqual(['Audit Failure']);
  });

  it('lets a Sysmon EventType item win over NXLog\'s own EventType', () => {
    const event = parse(nx({ EventID: 13, SourceName: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', EventType: 'SetValue', TargetObject: 'HKLM\\SOFTWARE\\Run\\evil', Details: 'C:\\x.exe' }));
    expect(event['winlog.event_data.EventType']).toBe('SetValue');
    expect(event['nxlog.EventType']).toBeUndefined();
    expect(event['registry.hive']).toBe('HKLM');
    expect(event['registry.key']).toBe('SOFTWARE\\Run');
    expect(event['registry.value']).toBe('evil');
    expect(event['registry.data.strings']).toEqual(['C:\\x.exe']);
  });

  it('maps the NXLog account fields to winlog.user', () => {
    const event = parse(nx({ AccountName: 'SYSTEM', Domain: 'NT AUTHORITY', AccountType: 'Well Known Group', UserID: 'S-1-5-18' }));
    expect(event).toMatchObject({ 'winlog.user.name': 'SYSTEM', 'winlog.user.domain': 'NT AUTHORITY', 'winlog.user.type': 'Well Known Group', 'winlog.user.identifier': 'S-1-5-18' });
    expect(event['winlog.event_data.AccountName']).toBeUndefined();
  });
});

describe('windows ECS mapping', () => {
  const security = (id: string, fields: Record<string, string>, keywords?: string): Record<string, unknown> => parse(xml(data(fields), { id, keywords }));

  it('handles "-" and IPv4-mapped, zoned and invalid addresses', () => {
    expect(security('4624', { IpAddress: '-', IpPort: '-' })['source.ip']).toBeUndefined();
    expect(security('4624', { IpAddress: '::ffff:10.1.2.3', IpPort: '5000' })).toMatchObject({ 'source.ip': '10.1.2.3', 'source.port': 5000 });
    expect(security('4624', { IpAddress: 'fe80::1%12' })['source.ip']).toBe('fe80::1');
    expect(security('4624', { IpAddress: 'not-an-ip' })['source.ip']).toBeUndefined();
  });

  it('gives Kerberos outcomes from Status and splits user@REALM', () => {
    const failed = security('4768', { TargetUserName: 'bob', TargetDomainName: 'CORP', Status: '0x6', IpAddress: '::ffff:10.0.0.9' });
    expect(failed).toMatchObject({ 'event.outcome': 'failure', 'user.name': 'bob', 'source.ip': '10.0.0.9', 'event.category': ['authentication'] });
    const service = security('4769', { TargetUserName: 'alice@CORP.EXAMPLE.COM', ServiceName: 'MSSQLSvc', Status: '0x0' });
    expect(service).toMatchObject({ 'event.outcome': 'success', 'user.name': 'alice', 'user.domain': 'CORP.EXAMPLE.COM', 'service.name': 'MSSQLSvc' });
  });

  it('maps group membership changes to group.* and the member to user.target.*', () => {
    const event = security('4732', {
      MemberName: 'CN=Eve Smith\\, Jr.,OU=Users,DC=corp,DC=example',
      MemberSid: 'S-1-5-21-1-2-3-1200',
      TargetUserName: 'Administrators',
      TargetDomainName: 'Builtin',
      TargetSid: 'S-1-5-32-544',
      SubjectUserName: 'admin',
    });
    expect(event).toMatchObject({
      'event.type': ['group', 'change'],
      'group.name': 'Administrators',
      'group.id': 'S-1-5-32-544',
      'user.name': 'admin',
      'user.target.name': 'Eve Smith, Jr.',
      'user.target.id': 'S-1-5-21-1-2-3-1200',
    });
  });

  it('maps explicit-credential logons with the acting and target accounts', () => {
    const event = security('4648', { SubjectUserName: 'bob', TargetUserName: 'admin', TargetDomainName: 'CORP', TargetServerName: 'srv2', ProcessId: '0x1f4', ProcessName: 'C:\\Windows\\System32\\runas.exe' });
    expect(event).toMatchObject({ 'user.name': 'bob', 'user.target.name': 'admin', 'destination.domain': 'srv2', 'process.pid': 500, 'process.name': 'runas.exe' });
  });

  it('reads PowerShell 4103 ContextInfo', () => {
    const context = '        Severity = Informational\r\n        Host Application = powershell.exe -nop\r\n        Command Name = Invoke-WebRequest\r\n        Command Type = Cmdlet\r\n        Script Name = \r\n        User = CORP\\bob\r\n';
    const event = parse(xml(data({ ContextInfo: context, Payload: 'x' }), { id: '4103', channel: 'Microsoft-Windows-PowerShell/Operational', provider: 'Microsoft-Windows-PowerShell' }));
    expect(event).toMatchObject({
      'event.dataset': 'windows.powershell',
      'process.command_line': 'powershell.exe -nop',
      'powershell.command.name': 'Invoke-WebRequest',
      'powershell.command.type': 'Cmdlet',
      'user.name': 'bob',
      'user.domain': 'CORP',
    });
    expect(event['file.path']).toBeUndefined();
  });

  it('maps Sysmon process access, image loads and registry keys', () => {
    const sysmon = (id: string, fields: Record<string, string>): Record<string, unknown> =>
      parse(xml(data(fields), { id, channel: 'Microsoft-Windows-Sysmon/Operational', provider: 'Microsoft-Windows-Sysmon', keywords: '0x8000000000000000' }));
    expect(sysmon('10', { SourceImage: 'C:\\t\\mimikatz.exe', SourceProcessId: '42', TargetImage: 'C:\\Windows\\system32\\lsass.exe' })).toMatchObject({
      'event.type': ['access'],
      'process.name': 'mimikatz.exe',
      'process.pid': 42,
    });
    expect(sysmon('7', { Image: 'C:\\a.exe', ImageLoaded: 'C:\\x\\evil.dll', Hashes: 'MD5=0123456789ABCDEF0123456789ABCDEF' })).toMatchObject({
      'file.path': 'C:\\x\\evil.dll',
      'file.name': 'evil.dll',
      'file.hash.md5': '0123456789abcdef0123456789abcdef',
    });
    const key = sysmon('12', { EventType: 'CreateKey', TargetObject: 'HKU\\S-1-5-21\\Software\\X' });
    expect(key).toMatchObject({ 'registry.hive': 'HKU', 'registry.key': 'S-1-5-21\\Software\\X' });
    expect(key['registry.value']).toBeUndefined();
    expect(key['event.outcome']).toBeUndefined();
  });

  it('leaves events it does not know with the common fields only', () => {
    const event = parse(xml(data({ Foo: 'bar' }), { id: '4663' }));
    expect(event['event.category']).toBeUndefined();
    expect(event['event.outcome']).toBe('success');
    expect(event['winlog.event_data.Foo']).toBe('bar');
  });
});
