import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs prints its "install tfjs-node" banner (tfjs-backend-cpu's first write) and
 * "kernel already registered" / "platform already set" notices through
 * `backend_util.warn`, which is silent when the PROD or IS_TEST flag is on.
 * PROD only gates those warnings in tfjs-core 4.22 (DEBUG checks are a separate
 * flag), so turning it on costs no safety. We set it at import so that even a
 * caller who forgets initBackend() never sees the banner.
 */
export function silenceTfjsNotices(): void {
  tf.env().set('PROD', true);
}
