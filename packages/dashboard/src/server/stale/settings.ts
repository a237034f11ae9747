import { ApiError, badRequest } from '../http/errors';

export const STALE_DAYS_DEFAULT = 30;
export const STALE_DAYS_MAX = 3650;

const WHOLE_DAYS = /^\d{1,4}$/;
const inRange = (raw: string) => WHOLE_DAYS.test(raw) && Number(raw) >= 1 && Number(raw) <= STALE_DAYS_MAX;

/** `FLAGLENS_STALE_DAYS` (default 30): after how many days a flag counts as debt when a request names none. */
export function staleDaysSetting(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FLAGLENS_STALE_DAYS?.trim();
  if (!raw) return STALE_DAYS_DEFAULT;
  if (!inRange(raw)) {
    throw new ApiError(
      500,
      'invalid_setting',
      `FLAGLENS_STALE_DAYS must be a whole number of days from 1 to ${STALE_DAYS_MAX}, not ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/** The `days` query parameter: 400 naming it unless it is a whole number from 1 to 3650; the setting when absent. */
export function staleDaysParam(raw: string | null, env: NodeJS.ProcessEnv = process.env): number {
  if (raw === null) return staleDaysSetting(env);
  if (!inRange(raw.trim())) {
    throw badRequest(`days must be a whole number of days from 1 to ${STALE_DAYS_MAX}`, { parameter: 'days', value: raw });
  }
  return Number(raw.trim());
}
