/** Base class of every error the zoo package throws; the CLI turns it into one line and exit code 2. */
export class ZooError extends Error {
  override name = 'ZooError';
}
