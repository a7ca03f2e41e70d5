import { MamoriError } from '../core/errors.js';
import { apache } from './apache.js';
import { makeAuto } from './auto.js';
import { bluecoat } from './bluecoat.js';
import { cef } from './cef.js';
import { checkpoint } from './checkpoint.js';
import { ciscoAsa } from './cisco-asa.js';
import { cloudtrail } from './cloudtrail.js';
import { entraAudit } from './entra-audit.js';
import { entraSignin } from './entra-signin.js';
import { fortigate } from './fortigate.js';
import { kv } from './generic-kv.js';
import { iptables } from './iptables.js';
import { json } from './json.js';
import { juniperSrx } from './juniper-srx.js';
import { leef } from './leef.js';
import { linuxAuth } from './linux-auth.js';
import { m365Audit } from './m365-audit.js';
import { nginx } from './nginx.js';
import { panos } from './panos.js';
import type { Parser } from './parser.js';
import { postfix } from './postfix.js';
import { rfc3164 } from './rfc3164.js';
import { rfc5424 } from './rfc5424.js';
import { sendmail } from './sendmail.js';
import { snort } from './snort.js';
import { squid } from './squid.js';
import { suricataEve } from './suricata-eve.js';
import { windows } from './windows.js';
import { zeek } from './zeek.js';

/**
 * What `auto` tries, in order, by the signature each format's `sniff`
 * recognises: the most specific signatures first (a CEF or LEEF payload can
 * sit behind any syslog header; FortiGate lines also match the generic
 * access-log shapes), the loosest last (Apache's Common Log Format).
 */
const TEXT_SNIFFERS = [cef, leef, ciscoAsa, fortigate, panos, juniperSrx, checkpoint, iptables, snort, windows, bluecoat, squid, zeek, postfix, sendmail, linuxAuth, nginx, apache];
/** The same for lines that are a JSON object. */
const JSON_SNIFFERS = [windows, suricataEve, zeek, cloudtrail, entraSignin, entraAudit, m365Audit, nginx];

const auto = makeAuto(TEXT_SNIFFERS, JSON_SNIFFERS);

/** Every parser Mamori ships, by name. Adding a parser means adding it here (and to a sniffer list when it has a signature). */
const PARSERS: ReadonlyMap<string, Parser> = new Map(
  [
    auto,
    rfc3164,
    rfc5424,
    json,
    kv,
    cef,
    leef,
    ciscoAsa,
    panos,
    fortigate,
    juniperSrx,
    checkpoint,
    iptables,
    suricataEve,
    snort,
    zeek,
    squid,
    bluecoat,
    apache,
    nginx,
    postfix,
    sendmail,
    linuxAuth,
    windows,
    cloudtrail,
    entraSignin,
    entraAudit,
    m365Audit,
  ].map((p) => [p.name, p]),
);

export function getParser(name: string): Parser {
  const parser = PARSERS.get(name);
  if (!parser) {
    throw new MamoriError(
      'MAMORI_E_UNKNOWN_PART',
      `unknown parser "${name}"; known parsers: ${parserNames().join(', ')}`,
      { name, known: parserNames() },
    );
  }
  return parser;
}

export function parserNames(): string[] {
  return [...PARSERS.keys()];
}

export function parserInfo(): { name: string; description: string }[] {
  return [...PARSERS.values()].map(({ name, description }) => ({ name, description }));
}
