import type { BackendName } from './spec.js';

/** The GPU adapter a webgpu backend runs on, as Dawn reports it. */
export interface GpuAdapter {
  vendor: string;
  architecture: string;
  /** Dawn puts the driver here ("SwiftShader driver 5.0.0"). */
  description: string;
  device: string;
  /** A CPU implementation (SwiftShader, llvmpipe, WARP): never picked unless forced. */
  isSoftware: boolean;
}

/** One line for logs, the CLI and the app: "google swiftshader: SwiftShader driver 5.0.0 (software)". */
export function describeAdapter(adapter: GpuAdapter): string {
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const detail = [adapter.description, adapter.device].filter(Boolean).join(', ');
  return `${name}${detail ? `: ${detail}` : ''}${adapter.isSoftware ? ' (software)' : ''}`;
}

/** One backend as this machine offers it: what `tunebench doctor` and the app's panel show. */
export interface BackendReport {
  backend: BackendName;
  isAvailable: boolean;
  /** Why it cannot run here, else null. */
  reason: string | null;
  adapter: GpuAdapter | null;
  /** Training steps per second on the fixed benchmark models; null when not available. */
  mlpStepsPerSecond: number | null;
  cnnStepsPerSecond: number | null;
}

export interface DoctorReport {
  backends: BackendReport[];
  /** What a trial here runs on when no backend is forced, and why not a faster one. */
  picked: { backend: string; note: string | null };
}
