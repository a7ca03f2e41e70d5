import { MamoriError } from '../../core/errors.js';

/**
 * A Sigma document that cannot be loaded or compiled. `reason` is the exact,
 * stable explanation shown to rule authors (`mamori rules validate`), so it
 * names the offending search, field and modifier rather than a stack trace.
 */
export class SigmaLoadError extends MamoriError {
  constructor(
    readonly reason: string,
    readonly source?: string,
  ) {
    super('MAMORI_E_INVALID', source ? `${source}: ${reason}` : reason, { reason, ...(source ? { source } : {}) });
    this.name = 'SigmaLoadError';
  }
}
