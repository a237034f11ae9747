/** How to build one signal's processors: per exporter name and OTLP protocol. */
export interface SignalExporters<P> {
  readonly console: () => P;
  readonly otlp: { readonly 'http/json': () => P; readonly 'http/protobuf': () => P };
}

/** Processors for the exporters the `OTEL_*` variables ask for, and a phrase for the start-up log. */
export interface SignalExport<P> {
  readonly processors: P[];
  readonly description: string;
}

/** Whether the environment asks for any OpenTelemetry export of `signal` (an exporter named, or an OTLP endpoint set). */
export function exportRequested(env: NodeJS.ProcessEnv, signal: 'TRACES' | 'METRICS' | 'LOGS'): boolean {
  return Boolean(env[`OTEL_${signal}_EXPORTER`] || env.OTEL_EXPORTER_OTLP_ENDPOINT || env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]);
}

/**
 * Reads `OTEL_<SIGNAL>_EXPORTER` (`otlp`, `console`, `none`, comma-separated) and the OTLP protocol
 * variables the way the Node SDK does, building each exporter's processor with `make`. The caller
 * has already decided that export was requested at all.
 */
export function processorsFromEnv<P>(env: NodeJS.ProcessEnv, signal: 'TRACES' | 'LOGS', make: SignalExporters<P>): SignalExport<P> {
  const noun = signal === 'TRACES' ? 'trace' : 'log';
  const names = (env[`OTEL_${signal}_EXPORTER`] ?? 'otlp')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.includes('none')) return { processors: [], description: `${noun} export off (OTEL_${signal}_EXPORTER=none)` };
  const processors: P[] = [];
  const described: string[] = [];
  for (const name of names) {
    if (name === 'console') {
      processors.push(make.console());
      described.push('console');
    } else if (name === 'otlp') {
      const protocol = env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
      if (protocol !== 'http/json' && protocol !== 'http/protobuf') {
        described.push(`otlp ${protocol} unsupported (use http/protobuf or http/json)`);
        continue;
      }
      processors.push(make.otlp[protocol]());
      described.push(`otlp ${protocol}`);
    } else {
      described.push(`unknown exporter ${name} ignored`);
    }
  }
  return { processors, description: `${signal === 'TRACES' ? 'traces' : 'logs'} → ${described.join(', ')}` };
}
