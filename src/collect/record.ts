import { newEventId } from '../core/ids.js';
import type { RawRecord } from '../core/raw-record.js';
import { secretDigest } from '../store/state/secret-digest.js';
import { makeDecoder, type Decoder } from './decode.js';
import type { ListenerConfig } from './listener-config.js';
import type { ListenerMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';
import type { CertificateIdentity, SourceBinding, SourceDirectory } from './routing.js';

const REPLACEMENT = '\uFFFD';
/** An ingest token inside a message: `token="mmi_..."` (RFC 5424 structured data) or `token=mmi_...`. */
const TOKEN = /token="?(mmi_[A-Za-z0-9_-]{16,128})"?/;
/** Tokens are looked for near the start only: in the header or the structured data. */
const TOKEN_SEARCH_CHARS = 1024;

/** Wraps one decoded message in a record; undefined when it is dropped (rate limit, no source), which is counted. */
export type RecordBuilder = (data: string, peer: string | undefined, truncatedFrom: number | undefined) => RawRecord | undefined;

/** How the messages of one sender are decoded and bound. */
export interface Route {
  decode: Decoder;
  build: RecordBuilder;
}

/** Who is sending: known before the first message is read. */
export interface PeerIdentity {
  address?: string;
  certificate?: CertificateIdentity;
}

export interface RoutingOptions {
  /** Sources for listeners that bind by certificate, address or token. */
  directory?: SourceDirectory;
  limiter: RateLimiter;
}

/**
 * Binds what a listener receives to a tenant and source: the listener's own
 * binding, or per sender the source its certificate, address or message
 * token identifies (`bind_by`). Routes are resolved once per connection
 * (per address for UDP), so the per-message cost stays a closure call.
 */
export class RecordRouter {
  private readonly decoders = new Map<string, Decoder>();
  private readonly listenerRoute: Route | undefined;
  private readonly tokenRoute: Route | undefined;
  private readonly unbound: Route;
  private readonly sourceRoutes = new Map<string, Route>();
  private directoryVersion = -1;

  constructor(
    private readonly config: ListenerConfig,
    private readonly metrics: ListenerMetrics,
    private readonly options: RoutingOptions,
  ) {
    // The listener's own charset is checked here, at start: a typo in the config must stop it.
    this.decoders.set(config.charset, makeDecoder(config.charset));
    this.listenerRoute = config.tenant === undefined ? undefined : this.routeTo(listenerBinding(config));
    this.unbound = { decode: this.decoder(config.charset), build: () => (this.metrics.unbound.inc(), undefined) };
    this.tokenRoute = config.bindBy.includes('token') ? this.tokenRouting() : undefined;
  }

  route(peer: PeerIdentity): Route {
    const directory = this.options.directory;
    if (directory && this.config.bindBy.length > 0) {
      if (directory.version !== this.directoryVersion) {
        this.sourceRoutes.clear();
        this.directoryVersion = directory.version;
      }
      let binding: SourceBinding | undefined;
      if (peer.certificate && this.config.bindBy.includes('certificate')) binding = directory.byCertificate(peer.certificate);
      if (!binding && peer.address && this.config.bindBy.includes('address')) binding = directory.byAddress(peer.address);
      if (binding) return this.sourceRoute(binding);
    }
    return this.tokenRoute ?? this.listenerRoute ?? this.unbound;
  }

  private sourceRoute(binding: SourceBinding): Route {
    let route = this.sourceRoutes.get(binding.source);
    if (!route) {
      route = this.routeTo(binding);
      this.sourceRoutes.set(binding.source, route);
    }
    return route;
  }

  /** Messages carrying a source token go to that source; the others to the listener's binding, if any. */
  private tokenRouting(): Route {
    const fallback = this.listenerRoute?.build ?? this.unbound.build;
    return {
      decode: this.decoder(this.config.charset),
      build: (data, peer, truncatedFrom) => {
        const match = TOKEN.exec(data.length > TOKEN_SEARCH_CHARS ? data.slice(0, TOKEN_SEARCH_CHARS) : data);
        const binding = match ? this.options.directory?.byTokenDigest(secretDigest(match[1])) : undefined;
        if (!binding) return fallback(data, peer, truncatedFrom);
        // The token is a secret: it must not be stored with the event.
        const masked = data.slice(0, match!.index) + data.slice(match!.index).replace(match![1], 'mmi_***');
        return this.sourceRoute(binding).build(masked, peer, truncatedFrom);
      },
    };
  }

  private routeTo(binding: SourceBinding): Route {
    const { tenant, source, format, timezone, rateLimitEps } = binding;
    const { metrics } = this;
    const limiter = this.options.limiter;
    return {
      decode: this.decoder(binding.charset),
      build: (data, peer, truncatedFrom) => {
        if (rateLimitEps !== undefined && limiter.take(source, rateLimitEps) > 0) {
          metrics.rateLimited.inc();
          return undefined;
        }
        metrics.received.inc();
        if (truncatedFrom !== undefined) metrics.oversize.inc();
        if (data.includes(REPLACEMENT)) metrics.replacements.inc();
        const received = Date.now();
        return { id: newEventId(received), tenant, source, format, received, data, peer, timezone, truncatedFrom };
      },
    };
  }

  private decoder(charset: string): Decoder {
    let decode = this.decoders.get(charset);
    if (!decode) {
      try {
        decode = makeDecoder(charset);
      } catch {
        // Sources are checked when saved; a charset this build no longer knows still must not stop collection.
        this.metrics.unknownCharset.inc();
        decode = makeDecoder('utf-8');
      }
      this.decoders.set(charset, decode);
    }
    return decode;
  }
}

function listenerBinding(config: ListenerConfig): SourceBinding {
  return {
    tenant: config.tenant!,
    source: config.source,
    format: config.format,
    charset: config.charset,
    timezone: config.timezone,
    rateLimitEps: config.rateLimitEps,
  };
}
