// Exporter faults on command, per pod, for tests and demos of a scraper's
// failure handling. They apply to both ways of reaching an exporter: the
// pod's own address and the API server's pod proxy.

export const exporterFaultModes = ['none', 'hang', 'refuse', 'garbage', 'huge', 'slow'] as const;
export type ExporterFaultMode = (typeof exporterFaultModes)[number];

export interface ExporterFault {
  mode: ExporterFaultMode;
  /** `slow`: how long the body takes to drip out (default 10 s). */
  delayMs?: number;
}

export interface ExporterFaultTarget {
  namespace: string;
  pod: string;
}

/** The fault registry; setting mode `none` clears a pod's fault. */
export class ExporterFaults {
  private readonly faults = new Map<string, ExporterFault>();
  private readonly listeners = new Set<(target: ExporterFaultTarget) => void>();

  set(target: ExporterFaultTarget, fault: ExporterFault): void {
    const key = `${target.namespace}/${target.pod}`;
    if (fault.mode === 'none') this.faults.delete(key);
    else this.faults.set(key, { ...fault });
    for (const listener of this.listeners) listener(target);
  }

  get(target: ExporterFaultTarget): ExporterFault {
    return this.faults.get(`${target.namespace}/${target.pod}`) ?? { mode: 'none' };
  }

  clear(target: ExporterFaultTarget): void {
    this.set(target, { mode: 'none' });
  }

  /** Removes every fault. */
  reset(): void {
    const targets = [...this.faults.keys()].map((key) => {
      const slash = key.indexOf('/');
      return { namespace: key.slice(0, slash), pod: key.slice(slash + 1) };
    });
    for (const target of targets) this.clear(target);
  }

  onChange(listener: (target: ExporterFaultTarget) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface FaultRequestError {
  error: string;
}

/** Validates a control request body `{namespace, pod, mode, delayMs?}`. */
export function parseFaultRequest(
  body: unknown,
): { target: ExporterFaultTarget; fault: ExporterFault } | FaultRequestError {
  if (typeof body !== 'object' || body === null) return { error: 'body must be a JSON object' };
  const input = body as Record<string, unknown>;
  const { namespace, pod, mode, delayMs } = input;
  if (typeof namespace !== 'string' || namespace === '') return { error: 'namespace is required' };
  if (typeof pod !== 'string' || pod === '') return { error: 'pod is required' };
  if (!exporterFaultModes.includes(mode as ExporterFaultMode)) {
    return { error: `mode must be one of ${exporterFaultModes.join(', ')}` };
  }
  if (
    delayMs !== undefined &&
    (typeof delayMs !== 'number' || !(delayMs >= 0 && delayMs <= 600_000))
  ) {
    return { error: 'delayMs must be a number of milliseconds between 0 and 600000' };
  }
  const fault: ExporterFault = { mode: mode as ExporterFaultMode };
  if (typeof delayMs === 'number') fault.delayMs = delayMs;
  return { target: { namespace, pod }, fault };
}
