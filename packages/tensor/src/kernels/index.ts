export { KERNEL_OVERRIDES, registerOverrides, setOverridesEnabled, overridesEnabled, registeredOverrides, type KernelOverrideSpec } from './register';
export type { SupportedBackend } from './typed-access';
export { nativeKernelsFor, nativeKernelsOfBackend, setNativeKernelsEnabled, nativeKernelsEnabled, type NativeKernels } from './native';
export { NATIVE_NN_MAX_RIGHT, NATIVE_TN_MAX_OUT } from './native-mat-mul';
