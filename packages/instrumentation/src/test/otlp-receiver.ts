import { createServer } from 'node:http';
import { listen, type Running } from './servers.js';

/** A span as OTLP/HTTP JSON carries it, reduced to what the tests read. */
export interface OtlpSpan {
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; arrayValue?: { values: { stringValue?: string }[] } };
}
interface OtlpBody {
  resourceSpans?: { scopeSpans?: { spans?: { name: string; kind: number; attributes?: OtlpAttribute[] }[] }[] }[];
}

/** A log record as OTLP/HTTP JSON carries it, reduced to what the tests read. */
export interface OtlpLogRecord {
  body: unknown;
  traceId: string | undefined;
  attributes: Record<string, unknown>;
}

interface OtlpLogsBody {
  resourceLogs?: {
    scopeLogs?: { logRecords?: { body?: { stringValue?: string }; traceId?: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

/** A collector stand-in on 127.0.0.1 that accepts OTLP/HTTP JSON traces at `/v1/traces` and logs at `/v1/logs`. */
export async function otlpReceiver(): Promise<Running & { spans: OtlpSpan[]; logs: OtlpLogRecord[] }> {
  const spans: OtlpSpan[] = [];
  const logs: OtlpLogRecord[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') spans.push(...spansOf(JSON.parse(body) as OtlpBody));
      if (req.url === '/v1/logs') logs.push(...logsOf(JSON.parse(body) as OtlpLogsBody));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return { ...(await listen(server)), spans, logs };
}

function logsOf(body: OtlpLogsBody): OtlpLogRecord[] {
  return (body.resourceLogs ?? []).flatMap((r) =>
    (r.scopeLogs ?? []).flatMap((s) =>
      (s.logRecords ?? []).map((record) => ({
        body: record.body?.stringValue,
        traceId: record.traceId,
        attributes: Object.fromEntries((record.attributes ?? []).map((a) => [a.key, attributeValue(a.value)])),
      })),
    ),
  );
}

function spansOf(body: OtlpBody): OtlpSpan[] {
  return (body.resourceSpans ?? []).flatMap((r) =>
    (r.scopeSpans ?? []).flatMap((s) =>
      (s.spans ?? []).map((span) => ({
        name: span.name,
        kind: span.kind,
        attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, attributeValue(a.value)])),
      })),
    ),
  );
}

function attributeValue(value: OtlpAttribute['value']): unknown {
  if (value.arrayValue) return value.arrayValue.values.map((v) => v.stringValue);
  return value.stringValue ?? value.intValue ?? value.boolValue;
}
