import type { Counter, Gauge } from 'prom-client';
import { counter, gauge } from '../core/telemetry.js';

const LABELS = ['listener'];

const received = counter('mamori_collect_received_total', 'Messages received and handed on as records, by listener.', LABELS);
const receivedBytes = counter('mamori_collect_received_bytes_total', 'Bytes read from the network, by listener.', LABELS);
const batches = counter('mamori_collect_batches_total', 'Record batches handed to the sink, by listener.', LABELS);
const oversize = counter('mamori_collect_oversize_total', 'Messages cut to max_message_bytes, by listener.', LABELS);
const replacements = counter(
  'mamori_collect_decode_replacements_total',
  'Messages with bytes invalid in the listener charset (decoded as U+FFFD), by listener.',
  LABELS,
);
const udpDropped = counter(
  'mamori_collect_udp_dropped_total',
  'UDP datagrams dropped, by listener and reason (backpressure: the pipeline was behind; sink_error: the sink failed).',
  ['listener', 'reason'],
);
const tcpRejected = counter('mamori_collect_tcp_rejected_total', 'TCP connections refused over max_connections, by listener.', LABELS);
const errors = counter(
  'mamori_collect_errors_total',
  'Errors by listener and reason (socket: a socket failed; sink_error: the sink rejected a batch, which for TCP resets the connection).',
  ['listener', 'reason'],
);
const dropped = counter(
  'mamori_collect_dropped_total',
  'Messages dropped on purpose, by listener and reason (rate_limit: the source sent above its rate limit; unbound: no source matched the sender on a listener that binds by source).',
  ['listener', 'reason'],
);
const tlsErrors = counter('mamori_collect_tls_errors_total', 'TLS handshakes that failed (bad or missing client certificate, protocol mismatch, timeout), by listener.', LABELS);
const unknownCharset = counter('mamori_collect_unknown_charset_total', 'Senders whose configured charset is unknown (read as UTF-8 instead), by listener.', LABELS);
const tcpOpen = gauge('mamori_collect_tcp_connections', 'Open TCP connections, by listener.', LABELS);

/** A listener's counters, bound to its label once so the hot path does no label lookups. */
export interface ListenerMetrics {
  received: Counter.Internal;
  receivedBytes: Counter.Internal;
  batches: Counter.Internal;
  oversize: Counter.Internal;
  replacements: Counter.Internal;
  udpDroppedBackpressure: Counter.Internal;
  udpDroppedSinkError: Counter.Internal;
  tcpRejected: Counter.Internal;
  socketErrors: Counter.Internal;
  sinkErrors: Counter.Internal;
  tcpOpen: Gauge.Internal<string>;
  rateLimited: Counter.Internal;
  unbound: Counter.Internal;
  unknownCharset: Counter.Internal;
  tlsErrors: Counter.Internal;
}

export function listenerMetrics(listener: string): ListenerMetrics {
  return {
    received: received.labels(listener),
    receivedBytes: receivedBytes.labels(listener),
    batches: batches.labels(listener),
    oversize: oversize.labels(listener),
    replacements: replacements.labels(listener),
    udpDroppedBackpressure: udpDropped.labels(listener, 'backpressure'),
    udpDroppedSinkError: udpDropped.labels(listener, 'sink_error'),
    tcpRejected: tcpRejected.labels(listener),
    socketErrors: errors.labels(listener, 'socket'),
    sinkErrors: errors.labels(listener, 'sink_error'),
    tcpOpen: tcpOpen.labels(listener),
    rateLimited: dropped.labels(listener, 'rate_limit'),
    unbound: dropped.labels(listener, 'unbound'),
    unknownCharset: unknownCharset.labels(listener),
    tlsErrors: tlsErrors.labels(listener),
  };
}
