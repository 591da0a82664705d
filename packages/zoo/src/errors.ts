/** Base class of every error the zoo package throws; the CLI turns it into one line and exit code 2. */
export class ZooError extends Error {
  override name = 'ZooError';
}

/** `--preset` names no known preset. */
export class UnknownPresetError extends ZooError {
  override name = 'UnknownPresetError';
}

/** `index.jsonl` or `zoo.json` is not a metanet zoo file, or a line in it is malformed. */
export class InvalidZooIndexError extends ZooError {
  override name = 'InvalidZooIndexError';
}

/** The directory holds a zoo built with other settings (preset, seed, dataset or protocol). */
export class ZooSettingsMismatchError extends ZooError {
  override name = 'ZooSettingsMismatchError';
}

/** Bad build, shard, merge or export options. */
export class InvalidZooOptionsError extends ZooError {
  override name = 'InvalidZooOptionsError';
}
