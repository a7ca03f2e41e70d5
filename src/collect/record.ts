import type { RawRecord } from '../core/raw-record.js';
import { newEventId } from '../core/ids.js';
import type { ListenerConfig } from './listener-config.js';
import type { ListenerMetrics } from './metrics.js';

const REPLACEMENT = '\uFFFD';

/** Wraps one decoded message in a record bound to the listener's tenant, source and parser. */
export type RecordBuilder = (data: string, peer: string | undefined, truncatedFrom: number | undefined) => RawRecord;

export function recordBuilder(config: ListenerConfig, metrics: ListenerMetrics): RecordBuilder {
  const { tenant, source, format, timezone } = config;
  return (data, peer, truncatedFrom) => {
    metrics.received.inc();
    if (truncatedFrom !== undefined) metrics.oversize.inc();
    if (data.includes(REPLACEMENT)) metrics.replacements.inc();
    const received = Date.now();
    return { id: newEventId(received), tenant, source, format, received, data, peer, timezone, truncatedFrom };
  };
}
