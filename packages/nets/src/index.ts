export * from './spec/index';
export { forward, forwardWithBuffers, initBuffers, type ForwardOptions, type ForwardResult } from './forward/forward';
export { initParams, initParamArrays, fans, type InitOptions, type InitScheme } from './init/init';
export { saveNet, loadNet, readNet, hostValues, type SavedNet, type LoadedNet, type NetArrays, type LoadNetOptions, type TensorLike } from './io/net';
export { NET_FORMAT, NET_VERSION, MANIFEST_FILE, WEIGHTS_FILE, type Manifest, type TensorEntry } from './io/bundle';
export { writeFileAtomic } from './io/atomic';
