export { saveGMN } from './save';
export { loadGMN, readGMN, type SavedGMN } from './load';
export { GMN_FORMAT, GMN_VERSION, GMN_MANIFEST_FILE, GMN_WEIGHTS_FILE, type GMNManifest, type GMNTensorEntry } from './format';
