/** Runs telemetry code that must never throw into the application. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Losing a data point is better than failing the request it describes.
  }
}
