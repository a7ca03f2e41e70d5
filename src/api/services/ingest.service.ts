import type { RecordSink } from '../../collect/sink.js';
import { makeDecoder } from '../../collect/decode.js';
import { recordsFromBody, type IngestBinding, type IngestLimits } from '../../collect/http-ingest.js';
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
}

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
  ) {}

  async targetForToken(token: string): Promise<IngestTarget | undefined> {
    if (!token.startsWith(INGEST_TOKEN_PREFIX)) return undefined;
    // The one unscoped lookup: the token itself is what binds the data to a tenant.
    const source = await this.state.sources.findByTokenHash(secretDigest(token));
    if (!source || source.disabled || source.tenantDisabled) return undefined;
    return {
      binding: { tenant: source.tenantId, source: source.id, format: source.format, timezone: source.timezone ?? undefined },
      decode: this.decoder(source.charset),
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
    if (this.sink.pressure()) {
      rejected.inc({ reason: 'pressure' });
      throw new MamoriError('MAMORI_E_OVERLOADED', 'the pipeline is behind: retry after the time in Retry-After');
    }
    const records = recordsFromBody(body, contentEncoding, target.decode, target.binding, this.limits);
    await this.sink.accept(records);
    received.inc({ tenant: target.binding.tenant }, records.length);
    return records.length;
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
