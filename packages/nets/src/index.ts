export * from './spec/index';
export { forward, forwardWithBuffers, initBuffers, type ForwardOptions, type ForwardResult } from './forward/forward';
export { initParams, initParamArrays, fans, type InitOptions, type InitScheme } from './init/init';
