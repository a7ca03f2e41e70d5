import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';
import { forEachLine, inflate, type IngestBinding, type IngestLimits } from './http-ingest.js';

/**
 * The batches `mamori agent` sends (POST /api/v1/ingest/agent): gzip NDJSON,
 * one envelope per line carrying the id the agent gave the line when it
 * read it, so a batch resent after a lost answer is recognised and stored
 * once. docs/agent.md describes the protocol.
 */
export interface AgentEnvelope {
  id: string;
  received: number;
  format: string;
  data: string;
  input?: string;
  path?: string;
  timezone?: string;
  peer?: string;
  truncatedFrom?: number;
}

export interface AgentBatch {
  records: RawRecord[];
  /** Lines that were not a valid envelope; they are still stored (as raw lines of the source's format). */
  invalid: number;
}

/** Event ids as `newEventId` makes them, and any sane id a future agent might send. */
const ID = /^[0-9A-Za-z_-]{8,64}$/;
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Receive times further ahead than this are the agent's clock being wrong; the server's time is used instead. */
const MAX_CLOCK_SKEW_MS = 24 * 3600_000;

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/** The record an envelope stands for, or undefined when it is not one. */
function recordOf(line: string, binding: IngestBinding, resent: boolean, now: number): RawRecord | undefined {
  let envelope: Partial<AgentEnvelope>;
  try {
    envelope = JSON.parse(line) as Partial<AgentEnvelope>;
  } catch {
    return undefined;
  }
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const { id, format, data, received } = envelope;
  if (typeof id !== 'string' || !ID.test(id) || typeof format !== 'string' || !NAME.test(format) || typeof data !== 'string') return undefined;
  const time = typeof received === 'number' && Number.isFinite(received) && received > 0 && received < now + MAX_CLOCK_SKEW_MS ? received : now;
  const record: RawRecord = { id, tenant: binding.tenant, source: binding.source, format, received: time, data };
  const timezone = text(envelope.timezone, 64);
  if (timezone ?? binding.timezone) record.timezone = timezone ?? binding.timezone;
  const peer = text(envelope.peer, 64);
  if (peer) record.peer = peer;
  const labels: Record<string, string> = { ...binding.labels };
  const input = text(envelope.input, 64);
  if (input) labels.agent_input = input;
  const path = text(envelope.path, 1024);
  if (path) labels.log_path = path;
  if (Object.keys(labels).length > 0) record.labels = labels;
  if (typeof envelope.truncatedFrom === 'number' && Number.isInteger(envelope.truncatedFrom) && envelope.truncatedFrom > data.length) {
    record.truncatedFrom = envelope.truncatedFrom;
  }
  if (resent) record.resent = true;
  return record;
}

/**
 * Decodes an agent batch. A line that is not a valid envelope is not
 * dropped: it becomes a record of the source's own format with the label
 * `agent_envelope: invalid`, so it stays visible and counted.
 */
export function agentRecordsFromBody(
  body: Buffer,
  contentEncoding: string | undefined,
  binding: IngestBinding,
  limits: IngestLimits,
  resent: boolean,
  now = Date.now(),
): AgentBatch {
  const records: RawRecord[] = [];
  let invalid = 0;
  // Envelope lines are not cut: the agent cuts the data it reads, and the body size is bounded.
  forEachLine(inflate(body, contentEncoding, limits.maxBodyBytes), Number.MAX_SAFE_INTEGER, (bytes) => {
    const line = bytes.toString('utf8');
    const record = recordOf(line, binding, resent, now);
    if (record) {
      records.push(record);
      return;
    }
    invalid++;
    const cut = Buffer.byteLength(line) > limits.maxLineBytes;
    const raw: RawRecord = {
      id: newEventId(now),
      tenant: binding.tenant,
      source: binding.source,
      format: binding.format,
      received: now,
      data: cut ? bytes.subarray(0, limits.maxLineBytes).toString('utf8') : line,
      labels: { ...binding.labels, agent_envelope: 'invalid' },
    };
    if (cut) raw.truncatedFrom = bytes.length;
    records.push(raw);
  });
  return { records, invalid };
}
