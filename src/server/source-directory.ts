import { RoutingTable, type SourceBinding, type SourceDirectory, type CertificateIdentity } from '../collect/routing.js';
import type { StateStore } from '../store/state/state-store.js';

/** How often the table is reloaded even without a change made through this server (another node, a restore). */
const REFRESH_MS = 10_000;

/**
 * The routable sources of the state store, as a lookup table the syslog
 * listeners and HTTP ingest consult per connection. Reloaded periodically
 * and right after an administrator changes a source, so a new firewall's
 * address or certificate works within seconds.
 */
export class StateSourceDirectory implements SourceDirectory {
  private table = new RoutingTable([], 0);
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly state: StateStore) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reloads the table; concurrent calls share one load. */
  refresh(): Promise<void> {
    this.loading ??= this.state.sources
      .listRoutable()
      .then((sources) => {
        this.table = new RoutingTable(sources, this.table.version + 1);
      })
      .catch((err: unknown) => {
        // Keep routing with the last good table; the next refresh tries again.
        console.error(`mamori: reloading sources for routing failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  get version(): number {
    return this.table.version;
  }

  byCertificate(certificate: CertificateIdentity): SourceBinding | undefined {
    return this.table.byCertificate(certificate);
  }

  byAddress(address: string): SourceBinding | undefined {
    return this.table.byAddress(address);
  }

  byTokenDigest(digest: string): SourceBinding | undefined {
    return this.table.byTokenDigest(digest);
  }
}
