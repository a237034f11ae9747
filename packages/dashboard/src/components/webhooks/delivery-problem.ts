/** One delivery attempt's answer as the log stores it: the receiver's status code, or the sender's error text. */
export interface AttemptAnswer {
  statusCode: number | null;
  error: string | null;
}

// Node's network errors and the sender's own (send.ts, outbox.ts), first match wins; each says what happened, then what to check.
const PROBLEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cancelled: the channel was deleted/, 'Cancelled: the channel was deleted before this delivery was sent.'],
  [/^channel is gone$/, 'Not sent: the channel was deleted before this delivery was sent.'],
  [
    /private address/,
    'Refused: the URL points at a private or loopback address. Use a public URL, or set FLAGLENS_WEBHOOK_ALLOW_PRIVATE=1 on the server if this receiver is meant to be internal.',
  ],
  [
    /ECONNREFUSED/,
    'The receiver refused the connection: nothing is listening there. Check the URL’s host and port, and that the receiver is running.',
  ],
  [
    /ECONNRESET|socket hang up/,
    'The receiver closed the connection before answering. Check the receiver’s logs, and any proxy or firewall in between.',
  ],
  [
    /ETIMEDOUT|timed out/i,
    'The receiver did not answer in time. Check that it is up and reachable from the server, and how long it takes to answer.',
  ],
  [/ENOTFOUND|EAI_AGAIN/, 'The receiver’s host name could not be found. Check the host name in the URL, and DNS on the server.'],
  [
    /certificate|CERT_/i,
    'The receiver’s HTTPS certificate was not accepted (expired, self-signed, or for another name). Check the certificate, or the host name in the URL.',
  ],
  [/SSL|TLS/, 'The HTTPS connection could not be set up. Check that the URL’s port speaks HTTPS, or use http:// for a plain receiver.'],
  [/^redirect to /, 'The receiver answered with a redirect, which is not followed. Use the URL it redirects to.'],
  [/^invalid URL$|^only http and https/, 'The channel’s URL is not a valid http or https URL. Fix the URL.'],
];

const STATUS_WORDS: ReadonlyArray<readonly [(status: number) => boolean, (status: number) => string]> = [
  [(s) => s === 401 || s === 403, (s) => `The receiver rejected the request (HTTP ${s}). Check the token or secret in the URL or headers.`],
  [(s) => s === 404 || s === 410, (s) => `The receiver has no such address (HTTP ${s}). Check the URL’s path.`],
  [(s) => s === 429, (s) => `The receiver is limiting requests (HTTP ${s}). Check its rate limits for this sender.`],
  [(s) => s >= 400 && s < 500, (s) => `The receiver did not accept the request (HTTP ${s}). Check the URL and the channel’s format.`],
  [(s) => s >= 500, (s) => `The receiver failed while handling the request (HTTP ${s}). Check the receiver’s logs.`],
];

/**
 * A failed attempt in words: what happened and what to check. `undefined` for an attempt the receiver accepted (2xx)
 * or an error not known here, which the log shows as it is.
 * @example deliveryProblem({ statusCode: null, error: 'connect ECONNREFUSED 127.0.0.1:9' }) // 'The receiver refused the connection: …'
 */
export function deliveryProblem({ statusCode, error }: AttemptAnswer): string | undefined {
  if (error) {
    const known = PROBLEMS.find(([pattern]) => pattern.test(error));
    if (known) return known[1];
  }
  if (statusCode === null || (statusCode >= 200 && statusCode < 300)) return undefined;
  return STATUS_WORDS.find(([matches]) => matches(statusCode))?.[1](statusCode);
}
