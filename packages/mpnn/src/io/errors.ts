import { InvalidNetFileError, InvalidWeightsError } from '@metanet/nets';
import { InvalidGMNFileError } from '../errors';

/** Runs nets' bundle code, reporting its file and weight errors as this package's InvalidGMNFileError. */
export function asGMNFileError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InvalidNetFileError || e instanceof InvalidWeightsError) throw new InvalidGMNFileError(e.message);
    throw e;
  }
}
