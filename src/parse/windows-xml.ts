/**
 * A small XML reader for one Windows event rendered as XML (`<Event>` with
 * `<System>`, `<EventData>`, `<UserData>`, `<RenderingInfo>`). It reads the
 * subset that shape uses: elements, attributes in ' or ", text, CDATA,
 * comments, processing instructions and the predefined and numeric entities.
 * It refuses DTDs (so no entity expansion, no "billion laughs"), works with
 * an explicit stack bounded at `MAX_XML_DEPTH`, and makes one forward pass,
 * so hostile input costs linear time. `readEvtxXml` then reads the EVTX
 * elements of the tree into the shape-independent record.
 */
import { ParseError } from './parser.js';
import { parseIso } from './time.js';
import { type DataWriter, eventIdText, isHexDigit, keywordsFromHex, levelFromCode, uint, UNNAMED_DATA, type WinHeader } from './windows-record.js';

export const MAX_XML_DEPTH = 64;

export interface XmlElement {
  /** Local name: a `prefix:` is dropped, as EVTX readers match on local names. */
  name: string;
  /** Attribute local names and values, alternating; `xmlns` declarations are left out. */
  attrs: string[];
  children: XmlElement[];
  /** Direct text content (CDATA included), entities decoded. */
  text: string;
}

const LT = 60;
const GT = 62;
const SLASH = 47;
const EQUALS = 61;
const QUOTE = 34;
const APOS = 39;
const AMP = 38;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Longest entity reference decoded (`&#x10FFFF;` is 10); longer `&...;` runs stay literal. */
const MAX_ENTITY = 12;

/** The character a reference names (`lt`, `#60`, `#x3C`), or undefined when it names none. */
function entityValue(name: string): string | undefined {
  if (name.charCodeAt(0) !== 35) return Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined;
  const hex = (name.charCodeAt(1) | 32) === 120;
  const start = hex ? 2 : 1;
  if (name.length === start) return undefined;
  for (let i = start; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (hex ? !isHexDigit(c) : c < 48 || c > 57) return undefined;
  }
  const code = parseInt(name.slice(start), hex ? 16 : 10);
  return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : undefined;
}

/** Replaces entity references; an unknown or invalid one is kept as written. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let chunk = 0;
  while (amp >= 0) {
    // The `;` is looked for only a few characters ahead, so "&&&...;" stays linear.
    let semi = -1;
    const limit = Math.min(s.length, amp + MAX_ENTITY);
    for (let p = amp + 1; p < limit; p++) {
      const c = s.charCodeAt(p);
      if (c === 59) {
        semi = p;
        break;
      }
      if (c === AMP) break;
    }
    const replacement = semi < 0 ? undefined : entityValue(s.slice(amp + 1, semi));
    if (replacement !== undefined) {
      out += s.slice(chunk, amp) + replacement;
      chunk = semi + 1;
    }
    amp = s.indexOf('&', replacement !== undefined ? semi + 1 : amp + 1);
  }
  return out + s.slice(chunk);
}

function fail(reason: string, at: number): never {
  throw new ParseError(`invalid XML: ${reason} at offset ${at}`);
}

/** Index just after the `end` marker searched from `from`; fails when it is missing. */
function skipPast(xml: string, from: number, end: string, what: string): number {
  const at = xml.indexOf(end, from);
  if (at < 0) fail(`unterminated ${what}`, from);
  return at + end.length;
}

/**
 * Reads the start tag whose `<` is at `i` into a new element. Returns the
 * element, the index after the tag and whether it closed itself (`/>`).
 */
function readStartTag(xml: string, i: number): { element: XmlElement; end: number; empty: boolean } {
  const n = xml.length;
  let p = i + 1;
  while (p < n && !isSpace(xml.charCodeAt(p)) && xml.charCodeAt(p) !== GT && xml.charCodeAt(p) !== SLASH) p++;
  if (p === i + 1) fail('empty tag name', i);
  const element: XmlElement = { name: localName(xml.slice(i + 1, p)), attrs: [], children: [], text: '' };
  for (;;) {
    while (p < n && isSpace(xml.charCodeAt(p))) p++;
    if (p >= n) fail('unterminated start tag', i);
    const c = xml.charCodeAt(p);
    if (c === GT) return { element, end: p + 1, empty: false };
    if (c === SLASH) {
      if (xml.charCodeAt(p + 1) !== GT) fail('"/" not followed by ">"', p);
      return { element, end: p + 2, empty: true };
    }
    const nameStart = p;
    while (p < n && !isSpace(xml.charCodeAt(p)) && xml.charCodeAt(p) !== EQUALS && xml.charCodeAt(p) !== GT && xml.charCodeAt(p) !== SLASH) p++;
    const qualified = xml.slice(nameStart, p);
    while (p < n && isSpace(xml.charCodeAt(p))) p++;
    if (xml.charCodeAt(p) !== EQUALS) fail(`attribute "${qualified.slice(0, 40)}" without a value`, p);
    p++;
    while (p < n && isSpace(xml.charCodeAt(p))) p++;
    const quote = xml.charCodeAt(p);
    if (quote !== QUOTE && quote !== APOS) fail('attribute value not quoted', p);
    const close = xml.indexOf(quote === QUOTE ? '"' : "'", p + 1);
    if (close < 0) fail('unterminated attribute value', p);
    if (qualified !== 'xmlns' && !qualified.startsWith('xmlns:')) {
      element.attrs.push(localName(qualified), decodeEntities(xml.slice(p + 1, close)));
    }
    p = close + 1;
    const next = xml.charCodeAt(p);
    if (!isSpace(next) && next !== GT && next !== SLASH) fail('no space between attributes', p);
  }
}

/** Parses a document with one root element; text outside it must be blank. */
export function parseXml(xml: string): XmlElement {
  const n = xml.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const top = stack[stack.length - 1];
      if (top) {
        top.text += decodeEntities(xml.slice(i, textEnd));
      } else {
        for (let p = i; p < textEnd; p++) if (!isSpace(xml.charCodeAt(p)) && xml.charCodeAt(p) !== 0xfeff) fail('text outside the root element', p);
      }
    }
    if (lt < 0) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 33) {
      if (xml.startsWith('<!--', lt)) i = skipPast(xml, lt + 4, '-->', 'comment');
      else if (xml.startsWith('<![CDATA[', lt)) {
        const end = skipPast(xml, lt + 9, ']]>', 'CDATA section');
        const top = stack[stack.length - 1];
        if (!top) fail('CDATA outside the root element', lt);
        top.text += xml.slice(lt + 9, end - 3);
        i = end;
      } else fail('DTDs and declarations are not accepted', lt);
    } else if (c === 63) {
      i = skipPast(xml, lt + 2, '?>', 'processing instruction');
    } else if (c === SLASH) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) fail('unterminated end tag', lt);
      const name = localName(xml.slice(lt + 2, gt).trimEnd());
      const open = stack.pop();
      if (!open || open.name !== name) fail(`end tag "${name.slice(0, 40)}" does not match`, lt);
      i = gt + 1;
    } else {
      if (root && stack.length === 0) fail('a second root element', lt);
      const { element, end, empty } = readStartTag(xml, lt);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      if (!empty) {
        if (stack.length >= MAX_XML_DEPTH) fail(`elements nested deeper than ${MAX_XML_DEPTH}`, lt);
        stack.push(element);
      }
      i = end;
    }
  }
  if (stack.length > 0) fail(`unclosed element "${stack[stack.length - 1].name.slice(0, 40)}"`, n);
  if (!root) fail('no root element', 0);
  return root;
}

/** Value of the attribute with local name `name`, or undefined. */
export function attr(element: XmlElement, name: string): string | undefined {
  const { attrs } = element;
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return undefined;
}

/** First child element named `name`, or undefined. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const c of element.children) if (c.name === name) return c;
  return undefined;
}

/** Text of an element, undefined when the element is missing or empty. */
function textOf(element: XmlElement | undefined): string | undefined {
  return element && element.text.length > 0 ? element.text : undefined;
}

/**
 * UserData's wrapper element (`<LogFileCleared xmlns=...>`) gives
 * `winlog.user_data.xml_name`; its children give `winlog.user_data.<name>`,
 * nested ones joined with dots.
 */
function readUserData(userData: XmlElement, data: DataWriter): void {
  for (const wrapper of userData.children) {
    data.userData('xml_name', wrapper.name);
    // Explicit stack: the tree is at most MAX_XML_DEPTH deep, but no recursion is simpler to bound.
    const pending: [XmlElement, string][] = wrapper.children.map((c) => [c, c.name]);
    pending.reverse();
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [element, name] = next;
      if (element.children.length === 0) {
        data.userData(name, element.text);
        continue;
      }
      for (let i = element.children.length - 1; i >= 0; i--) pending.push([element.children[i], `${name}.${element.children[i].name}`]);
    }
  }
}

/**
 * EventData: `<Data Name="x">` items by name; unnamed `<Data>` items under
 * `Data` (one string, or a list when there are several, like evtx-dump);
 * other elements (`<Binary>`) under their own name.
 */
function readEventData(eventData: XmlElement, data: DataWriter): void {
  let unnamed: string[] | undefined;
  for (const item of eventData.children) {
    if (item.name !== UNNAMED_DATA) {
      data.eventData(item.name, item.text);
      continue;
    }
    const name = attr(item, 'Name');
    if (name !== undefined && name.length > 0) data.eventData(name, item.text);
    else (unnamed ??= []).push(item.text);
  }
  if (unnamed) data.eventData(UNNAMED_DATA, unnamed.length === 1 ? unnamed[0] : unnamed);
}

/** An EVTX event rendered as XML (`<Event><System>..</System><EventData>..</EventData></Event>`). */
export function readEvtxXml(root: XmlElement, data: DataWriter): WinHeader {
  if (root.name !== 'Event') throw new ParseError(`not a Windows event: XML root is <${root.name.slice(0, 40)}>`);
  const system = child(root, 'System');
  if (!system) throw new ParseError('not a Windows event: no <System>');
  const provider = child(system, 'Provider');
  const execution = child(system, 'Execution');
  const correlation = child(system, 'Correlation');
  const security = child(system, 'Security');
  const created = child(system, 'TimeCreated');
  const rendering = child(root, 'RenderingInfo');
  const systemTime = created && attr(created, 'SystemTime');
  const header: WinHeader = {
    eventId: eventIdText(textOf(child(system, 'EventID'))),
    provider: provider && attr(provider, 'Name'),
    providerGuid: provider && attr(provider, 'Guid'),
    channel: textOf(child(system, 'Channel')),
    computer: textOf(child(system, 'Computer')),
    recordId: textOf(child(system, 'EventRecordID')),
    userId: security && attr(security, 'UserID'),
    activityId: correlation && attr(correlation, 'ActivityID'),
    relatedActivityId: correlation && attr(correlation, 'RelatedActivityID'),
    task: textOf(child(rendering, 'Task')) ?? textOf(child(system, 'Task')),
    opcode: textOf(child(rendering, 'Opcode')) ?? textOf(child(system, 'Opcode')),
    version: uint(textOf(child(system, 'Version'))),
    pid: uint(execution && attr(execution, 'ProcessID')),
    tid: uint(execution && attr(execution, 'ThreadID')),
    level: levelFromCode(textOf(child(system, 'Level'))),
    keywords: keywordsFromHex(textOf(child(system, 'Keywords'))),
    time: systemTime === undefined ? NaN : parseIso(systemTime, 'UTC'),
    message: textOf(child(rendering, 'Message')),
  };
  const eventData = child(root, 'EventData');
  if (eventData) readEventData(eventData, data);
  const userData = child(root, 'UserData');
  if (userData) readUserData(userData, data);
  return header;
}
