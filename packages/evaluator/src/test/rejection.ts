import { FlagValidationError } from '../model/errors.js';

/** The FlagValidationError `run` throws; any other outcome fails the test. */
export function rejection(run: () => unknown): FlagValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof FlagValidationError) return error;
    throw error;
  }
  throw new Error('expected a FlagValidationError');
}
