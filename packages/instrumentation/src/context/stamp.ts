import { type Context, context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { safely } from '../safely.js';
import { assignmentAttributesIn } from './active.js';

/**
 * Stamps the spans that were already started when assignments were bound: the active span and, in
 * an HTTP request, the server span (which the http instrumentation exposes as RPC metadata), since
 * the request's own span is the one people search by variant.
 */
export function stampRequestSpans(bound: Context, current: Context = context.active()): void {
  safely(() => {
    const attributes = assignmentAttributesIn(bound);
    if (!attributes) return;
    trace.getSpan(current)?.setAttributes(attributes);
    const rpc = getRPCMetadata(current);
    if (rpc?.type === RPCType.HTTP) rpc.span?.setAttributes(attributes);
  });
}
