export { KERNEL_OVERRIDES, registerOverrides, setOverridesEnabled, overridesEnabled, registeredOverrides, type KernelOverrideSpec } from './register';
export type { SupportedBackend } from './typed_access';
