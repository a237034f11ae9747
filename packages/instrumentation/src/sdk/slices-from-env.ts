import { checkSliceLabels } from '../metrics/outcome-metrics.js';

/**
 * The outcome slice labels named by `FLAGLENS_SLICE_LABELS` (comma-separated, e.g. `region,plan`), and a
 * phrase for the start-up log. An invalid list is reported there and ignored, so it never stops the service.
 */
export function sliceLabelsFromEnv(env: NodeJS.ProcessEnv): { sliceLabels: readonly string[]; description: string | undefined } {
  const names = (env.FLAGLENS_SLICE_LABELS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) return { sliceLabels: [], description: undefined };
  try {
    const sliceLabels = checkSliceLabels(names);
    return { sliceLabels, description: `outcomes sliced by ${sliceLabels.join(', ')}` };
  } catch (error) {
    return { sliceLabels: [], description: `FLAGLENS_SLICE_LABELS ignored (${error instanceof Error ? error.message : String(error)})` };
  }
}
