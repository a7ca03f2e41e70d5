import { describe, expect, it } from 'vitest';
import { bluecoat } from './bluecoat.js';

const ctx = { received: Date.UTC(2024, 4, 1, 12, 0, 0), timezone: 'Asia/Tokyo' };
const MAIN =
  '2024-05-01 10:00:00 123 10.1.1.20 - - - OBSERVED "Technology/Internet" - 200 TCP_NC_MISS GET text/html http www.example.com 80 /index.html ?lang=en html "Mozilla/5.0 (Windows NT 10.0)" 10.1.1.1 15320 512 -';

describe('bluecoat', () => {
  it('reads ELFF date and time as UTC whatever the source zone', () => {
    expect(bluecoat.parse(MAIN, ctx)['@timestamp']).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps quoted values with blanks in one field', () => {
    const event = bluecoat.parse(MAIN, ctx);
    expect(event['user_agent.original']).toBe('Mozilla/5.0 (Windows NT 10.0)');
    expect(event['url.full']).toBe('http://www.example.com/index.html?lang=en');
  });

  it('keeps non-default ports in url.full and values that do not fit typed fields under bluecoat.*', () => {
    const line = MAIN.replace(' 80 /index.html', ' 8080 /index.html').replace(' 15320 512 ', ' many 512 ').replace(' 10.1.1.20 ', ' client-pc ');
    const event = bluecoat.parse(line, ctx);
    expect(event['url.full']).toBe('http://www.example.com:8080/index.html?lang=en');
    expect(event['bluecoat.sc_bytes']).toBe('many');
    expect(event['bluecoat.c_ip']).toBe('client-pc');
    expect(event['source.ip']).toBeUndefined();
  });

  it('reads #Date directives as the event time', () => {
    const event = bluecoat.parse('#Date: 2024-04-30 23:59:01', ctx);
    expect(event).toMatchObject({ 'event.dataset': 'bluecoat.meta', 'bluecoat.directive': 'Date', '@timestamp': '2024-04-30T23:59:01.000Z' });
  });

  it('names the layouts it knows when the field count matches none', () => {
    expect(() => bluecoat.parse(MAIN + ' extra', ctx)).toThrow('26 fields (known: 25, 27, 36)');
    expect(() => bluecoat.parse('x '.repeat(100), ctx)).toThrow('more than 64 fields');
    expect(() => bluecoat.parse(MAIN.replace('2024-05-01', '2024-13-01'), ctx)).toThrow('invalid ELFF date');
  });

  it('sniffs access lines and the SGOS software directive only', () => {
    expect(bluecoat.sniff!(MAIN)).toBe(true);
    expect(bluecoat.sniff!('#Software: SGOS 7.3.6.1')).toBe(true);
    expect(bluecoat.sniff!('2024-05-01 10:00:00 [error] something OBSERVED ')).toBe(false);
    expect(bluecoat.sniff!('2024-05-01 10:00:00 123 host sshd[1]: Accepted password')).toBe(false);
  });
});
