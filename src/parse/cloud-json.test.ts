import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { addressOf, flattenSnake, newBudget, readCloudRecord, reportDropped, setNamedValues, snakeCase } from './cloud-json.js';
import { DROPPED_FIELDS, MAX_FIELDS } from './flatten.js';
import { ParseError } from './parser.js';

describe('readCloudRecord', () => {
  it('unwraps a delivery batch of exactly one record', () => {
    expect(readCloudRecord('{"Records":[{"a":1}]}', ['Records'])).toEqual({ a: 1 });
    expect(readCloudRecord('\ufeff {"records":[{"a":1}]}', ['records'])).toEqual({ a: 1 });
    expect(readCloudRecord('[{"a":1}]', [])).toEqual({ a: 1 });
  });

  it('leaves records alone when the wrapper name is not one of the parser', () => {
    expect(readCloudRecord('{"value":[1,2]}', ['Records'])).toEqual({ value: [1, 2] });
  });

  it('rejects batches it would have to cut, and non-records', () => {
    expect(() => readCloudRecord('{"Records":[{},{}]}', ['Records'])).toThrow('2 records in one "Records" array: split them');
    expect(() => readCloudRecord('{"Records":[]}', ['Records'])).toThrow('empty "Records" array');
    expect(() => readCloudRecord('{"Records":[42]}', ['Records'])).toThrow('holds no JSON object');
    expect(() => readCloudRecord('"text"', [])).toThrow(ParseError);
    expect(() => readCloudRecord('42', [])).toThrow('not a JSON object');
    expect(() => readCloudRecord('{"a":', [])).toThrow('invalid JSON');
  });
});

describe('addressOf', () => {
  it('reads the address forms the services write', () => {
    expect(addressOf('203.0.113.5')).toEqual({ ip: '203.0.113.5' });
    expect(addressOf('203.0.113.5:443')).toEqual({ ip: '203.0.113.5', port: 443 });
    expect(addressOf('2001:db8::1')).toEqual({ ip: '2001:db8::1' });
    expect(addressOf('[2001:db8::1]')).toEqual({ ip: '2001:db8::1' });
    expect(addressOf('[2001:db8::1]:50000')).toEqual({ ip: '2001:db8::1', port: 50000 });
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'host:80', '203.0.113.5:99999', '[2001:db8::1', '[2001:db8::1]x', '[1.2.3.4]:80', '1.2.3.4:', 'AWS Internal']) {
      expect(addressOf(bad), bad).toBeUndefined();
    }
  });
});

describe('snakeCase', () => {
  it('splits words and keeps acronyms together', () => {
    expect(snakeCase('sessionContext.sessionIssuer.userName')).toBe('session_context.session_issuer.user_name');
    expect(snakeCase('MFAUsed')).toBe('mfa_used');
    expect(snakeCase('ClientIP')).toBe('client_ip');
    expect(snakeCase('MailboxOwnerUPN')).toBe('mailbox_owner_upn');
    expect(snakeCase('riskEventTypes_v2')).toBe('risk_event_types_v2');
    expect(snakeCase('already_snake')).toBe('already_snake');
  });
});

describe('bounded flattening', () => {
  it('keeps at most MAX_FIELDS fields and reports the rest', () => {
    const obj: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) obj[`k${i}`] = i;
    const event: MamoriEvent = {};
    const state = newBudget();
    flattenSnake(event, obj, 'x.', state);
    reportDropped(event, state);
    expect(Object.keys(event).length).toBe(MAX_FIELDS + 1);
    expect(event[DROPPED_FIELDS]).toBe(100_000 - MAX_FIELDS);
  });

  it('skips mapped members; a "__proto__" member is an ordinary prefixed field', () => {
    const event: MamoriEvent = {};
    flattenSnake(event, JSON.parse('{"userName":"a","__proto__":{"x":1},"keep":{"innerKey":2}}'), 'p.', newBudget(), new Set(['userName']));
    expect(event).toEqual({ 'p.__proto__.x': 1, 'p.keep.inner_key': 2 });
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });

  it('keeps structures past the depth limit as JSON text', () => {
    const event: MamoriEvent = {};
    flattenSnake(event, JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)), 'p.', newBudget());
    const [field] = Object.keys(event);
    expect(field.split('.').length).toBe(33);
    expect(event[field]).toBe('{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":1}}}}}}}}');
  });
});

describe('setNamedValues', () => {
  it('writes name/value lists, first name wins, nulls and nameless entries skipped', () => {
    const event: MamoriEvent = {};
    const list = [{ Name: 'A', Value: '1' }, { Name: 'A', Value: '2' }, { Name: 'B', Value: null }, { Value: 'x' }, 7, { Name: 'C', Value: { d: 1 } }];
    setNamedValues(event, list, 'Name', [['Value', '']], 'p.', newBudget());
    expect(event).toEqual({ 'p.A': '1', 'p.C': '{"d":1}' });
  });

  it('keeps a member that is not a list under the prefix', () => {
    const event: MamoriEvent = {};
    setNamedValues(event, 'odd', 'Name', [['Value', '']], 'p.list.', newBudget());
    expect(event).toEqual({ 'p.list': 'odd' });
  });

  it('is bounded on huge lists', () => {
    const event: MamoriEvent = {};
    const state = newBudget();
    const list = Array.from({ length: 50_000 }, (_, i) => ({ Name: `n${i}`, Value: 'v' }));
    setNamedValues(event, list, 'Name', [['Value', '']], 'p.', state);
    expect(Object.keys(event).length).toBe(MAX_FIELDS);
    expect(state.dropped).toBe(50_000 - MAX_FIELDS);
  });
});
