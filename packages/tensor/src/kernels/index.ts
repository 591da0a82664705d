export { KERNEL_OVERRIDES, registerOverrides, setOverridesEnabled, overridesEnabled, registeredOverrides, type KernelOverrideSpec } from './register';
export type { SupportedBackend } from './typed_access';
export { nativeKernelsFor, nativeKernelsOfBackend, setNativeKernelsEnabled, nativeKernelsEnabled, type NativeKernels } from './native';
export { NATIVE_NN_MAX_RIGHT, NATIVE_TN_MAX_OUT } from './native_mat_mul';
