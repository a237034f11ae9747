#!/usr/bin/env node
/**
 * `FLAGLENS_WEBHOOK_SECRET=whsec_… PORT=3002 node dist/server.js`: prints every flaglens page it receives on
 * http://HOST:PORT (any path), refusing badly signed ones with 401. HOST defaults to 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { createReceiver } from './receiver.js';

const secret = process.env.FLAGLENS_WEBHOOK_SECRET ?? '';
if (!secret.startsWith('whsec_')) {
  console.error('webhook-receiver: set FLAGLENS_WEBHOOK_SECRET to the channel secret (whsec_…) shown when the webhook was created');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3002);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`webhook-receiver: PORT must be a port number (got ${process.env.PORT})`);
  process.exit(2);
}
const host = process.env.HOST ?? '127.0.0.1';
const server = createReceiver({ secret }).listen(port, host, () => {
  console.log(`webhook-receiver: listening on http://${host}:${(server.address() as AddressInfo).port}, checking X-Flaglens-Signature`);
});
server.on('error', (error) => {
  console.error(`webhook-receiver: ${error.message}`);
  process.exit(1);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
