import { describe, expect, it } from 'vitest';
import { deliveryProblem } from './delivery-problem';

const failed = (error: string, statusCode: number | null = null) => deliveryProblem({ statusCode, error });

describe('deliveryProblem', () => {
  // Raw texts as Node and the sender (send.ts, outbox.ts, cancelPending) write them, and the start of the words shown.
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:9', 'The receiver refused the connection'],
    ['read ECONNRESET', 'The receiver closed the connection'],
    ['socket hang up', 'The receiver closed the connection'],
    ['timed out after 5000 ms', 'The receiver did not answer in time'],
    ['connect ETIMEDOUT 10.9.8.7:443', 'The receiver did not answer in time'],
    ['getaddrinfo ENOTFOUND hooks.example.invalid', 'The receiver’s host name could not be found'],
    ['getaddrinfo EAI_AGAIN hooks.example.com', 'The receiver’s host name could not be found'],
    ['self-signed certificate', 'The receiver’s HTTPS certificate was not accepted'],
    ['certificate has expired', 'The receiver’s HTTPS certificate was not accepted'],
    ["Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's altnames", 'The receiver’s HTTPS'],
    ['unable to verify the first certificate', 'The receiver’s HTTPS certificate was not accepted'],
    ['write EPROTO 00000000:error:0A00010B:SSL routines::wrong version number', 'The HTTPS connection could not be set up'],
    ['127.0.0.1 is a private address', 'Refused: the URL points at a private or loopback address'],
    ['hooks.internal resolves to a private address', 'Refused: the URL points at a private or loopback address'],
    ['cancelled: the channel was deleted by ana@example.com', 'Cancelled: the channel was deleted'],
    ['channel is gone', 'Not sent: the channel was deleted'],
    ['invalid URL', 'The channel’s URL is not a valid http or https URL'],
  ])('%s → %s…', (error, words) => {
    expect(failed(error)).toMatch(new RegExp(`^${words}`));
  });

  it.each([
    [401, 'The receiver rejected the request (HTTP 401). Check the token or secret'],
    [403, 'The receiver rejected the request (HTTP 403)'],
    [404, 'The receiver has no such address (HTTP 404)'],
    [429, 'The receiver is limiting requests (HTTP 429)'],
    [400, 'The receiver did not accept the request (HTTP 400)'],
    [500, 'The receiver failed while handling the request (HTTP 500)'],
    [503, 'The receiver failed while handling the request (HTTP 503)'],
  ])('HTTP %i → %s…', (status, words) => {
    expect(failed(`HTTP ${status}`, status)).toContain(words);
  });

  it('says a redirect is not followed', () => {
    expect(failed('redirect to https://elsewhere.example/ not followed', 301)).toMatch(/redirect, which is not followed/);
  });

  it('has no words for an accepted attempt, a missing answer, or an error it does not know', () => {
    expect(deliveryProblem({ statusCode: 204, error: null })).toBeUndefined();
    expect(deliveryProblem({ statusCode: null, error: null })).toBeUndefined();
    expect(failed('something new and strange')).toBeUndefined();
  });
});
