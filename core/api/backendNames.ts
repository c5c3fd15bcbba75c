/** Training backends, fastest first; `backend` in a spec (or --backend) forces one. */
export const backendNames = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];
