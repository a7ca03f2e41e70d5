/**
 * What collection puts on the bus: one received log line (or JSON document),
 * already bound to a tenant, a source and the parser that will read it.
 * Everything needed to parse it later travels with it, so a replay after a
 * crash produces exactly the same event (same id, same fields).
 */
export interface RawRecord {
  /** Event id, assigned once at collection; storage is idempotent by it. */
  id: string;
  tenant: string;
  /** Source id (state store `sources.id`), or a listener name for config-bound listeners. */
  source: string;
  /** Parser name from the parser registry. */
  format: string;
  /** Milliseconds since the epoch when Mamori received the data. */
  received: number;
  /** The raw data decoded to a JavaScript string (undecodable bytes become U+FFFD). */
  data: string;
  /** Sender address (`ip:port`) when known. */
  peer?: string;
  /** IANA time zone for timestamps without an offset. */
  timezone?: string;
  /** Free labels carried into `labels.*` (for example the import id of a file import). */
  labels?: Record<string, string>;
  /** Set when the collector cut an oversized message: its original size in bytes. */
  truncatedFrom?: number;
  /**
   * The sender may have delivered this record before (an agent resending a
   * batch it got no answer for). Storage then drops it if its id is already
   * stored, which makes at-least-once delivery exactly-once.
   */
  resent?: boolean;
}
