/**
 * `decodeURIComponent`, or undefined for text that is not valid percent-encoding (`%E0%A4%A`): a malformed
 * URL or cookie is the caller's mistake, to be answered with a 404 or 401, not an exception that ends as a 500.
 */
export function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
