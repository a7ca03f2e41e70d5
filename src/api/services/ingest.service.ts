import type { RecordSink } from '../../collect/sink.js';
import { makeDecoder } from '../../collect/decode.js';
import { agentRecordsFromBody } from '../../collect/agent-ingest.js';
import { recordsFromBody, type IngestBinding, type IngestLimits } from '../../collect/http-ingest.js';
import type { RateLimiter } from '../../collect/rate-limit.js';
import type { RawRecord } from '../../core/raw-record.js';
import { MamoriError } from '../../core/errors.js';
import { counter } from '../../core/telemetry.js';
import { getParser } from '../../parse/registry.js';
import { secretDigest } from '../../store/state/secret-digest.js';
import type { StateStore } from '../../store/state/state-store.js';
import { requirePermission, requireTenant, type RequestContext } from '../context.js';
import { INGEST_TOKEN_PREFIX } from './auth.service.js';

const received = counter('mamori_collect_http_events_total', 'Events accepted over HTTP ingest, by tenant.', ['tenant']);
const rejected = counter('mamori_collect_http_rejected_total', 'HTTP ingest requests refused, by reason.', ['reason']);

export interface IngestTarget {
  binding: IngestBinding;
  decode: (bytes: Buffer) => string;
  /** Events per second the source may send; undefined is unlimited. */
  rateLimitEps?: number;
}

const agentInvalid = counter('mamori_collect_agent_invalid_lines_total', 'Agent batch lines that were not a valid envelope (stored as raw lines), by tenant.', ['tenant']);

/**
 * HTTP ingest: an ingest token binds the data to one tenant and source; a
 * signed-in SOC user (file import from the CLI) names the tenant and format.
 */
export class IngestService {
  private readonly decoders = new Map<string, (bytes: Buffer) => string>();

  constructor(
    private readonly state: StateStore,
    private readonly sink: RecordSink,
    private readonly limits: IngestLimits,
    private readonly limiter: RateLimiter,
  ) {}

  async targetForToken(token: string): Promise<IngestTarget | undefined> {
    if (!token.startsWith(INGEST_TOKEN_PREFIX)) return undefined;
    // The one unscoped lookup: the token itself is what binds the data to a tenant.
    const source = await this.state.sources.findByTokenHash(secretDigest(token));
    if (!source || source.disabled || source.tenantDisabled) return undefined;
    return {
      binding: { tenant: source.tenantId, source: source.id, format: source.format, timezone: source.timezone ?? undefined },
      decode: this.decoder(source.charset),
      ...(source.rateLimitEps === null ? {} : { rateLimitEps: source.rateLimitEps }),
    };
  }

  targetForUser(ctx: RequestContext, tenant: string, format: string, labels?: Record<string, string>, timezone?: string): IngestTarget {
    requirePermission(ctx, 'events:ingest');
    requireTenant(ctx, tenant);
    getParser(format);
    return { binding: { tenant, source: `import:${ctx.caller.login}`, format, labels, timezone }, decode: this.decoder('utf-8') };
  }

  /** Accepts a body; resolves once every record is durable on the bus. */
  async ingest(target: IngestTarget, body: Buffer, contentEncoding: string | undefined): Promise<number> {
    this.checkPressure();
    const records = recordsFromBody(body, contentEncoding, target.decode, target.binding, this.limits);
    await this.accept(target, records);
    return records.length;
  }

  /**
   * Accepts a batch from `mamori agent`: envelopes carrying the ids the agent
   * assigned, so a batch resent after a lost answer (`resent`) is stored once.
   */
  async ingestAgent(target: IngestTarget, body: Buffer, contentEncoding: string | undefined, resent: boolean): Promise<{ accepted: number; invalid: number }> {
    this.checkPressure();
    const batch = agentRecordsFromBody(body, contentEncoding, target.binding, this.limits, resent);
    if (batch.invalid > 0) agentInvalid.inc({ tenant: target.binding.tenant }, batch.invalid);
    await this.accept(target, batch.records);
    return { accepted: batch.records.length, invalid: batch.invalid };
  }

  private checkPressure(): void {
    if (this.sink.pressure()) {
      rejected.inc({ reason: 'pressure' });
      throw new MamoriError('MAMORI_E_OVERLOADED', 'the pipeline is behind: retry after the time in Retry-After');
    }
  }

  private async accept(target: IngestTarget, records: RawRecord[]): Promise<void> {
    if (target.rateLimitEps !== undefined && records.length > 0) {
      const waitMs = this.limiter.take(target.binding.source, target.rateLimitEps, records.length);
      if (waitMs > 0) {
        rejected.inc({ reason: 'rate_limit' });
        throw new MamoriError('MAMORI_E_RATE_LIMITED', `this source may send ${target.rateLimitEps} events/s: retry after the time in Retry-After`, { retryAfterMs: waitMs });
      }
    }
    await this.sink.accept(records);
    received.inc({ tenant: target.binding.tenant }, records.length);
  }

  countRejected(reason: string): void {
    rejected.inc({ reason });
  }

  private decoder(charset: string): (bytes: Buffer) => string {
    let d = this.decoders.get(charset);
    if (!d) {
      d = makeDecoder(charset);
      this.decoders.set(charset, d);
    }
    return d;
  }
}
