/** Vite asset imports (`?url`) and import.meta.env, as TypeScript sees them outside Vite. */
/// <reference types="vite/client" />
