/** Secure-cloud on-demand USD per GPU-hour, roughly RunPod's 2026 list prices. */
export const DEFAULT_GPU_PRICES: Readonly<Record<string, number>> = {
  'NVIDIA GeForce RTX 3090': 0.46,
  'NVIDIA GeForce RTX 4090': 0.69,
  'NVIDIA GeForce RTX 5090': 0.94,
  'NVIDIA RTX A4000': 0.25,
  'NVIDIA RTX A5000': 0.27,
  'NVIDIA RTX A6000': 0.49,
  'NVIDIA A40': 0.44,
  'NVIDIA L4': 0.43,
  'NVIDIA L40S': 0.86,
  'NVIDIA RTX 6000 Ada Generation': 0.77,
  'NVIDIA A100 80GB PCIe': 1.64,
  'NVIDIA A100-SXM4-80GB': 1.89,
  'NVIDIA H100 PCIe': 2.39,
  'NVIDIA H100 80GB HBM3': 2.99,
  'NVIDIA H200': 3.59,
  'NVIDIA B200': 5.99,
}

export const DEFAULT_GPU_PRICE = 1.0
/** CPU pods: USD per vCPU-hour. */
export const VCPU_PRICE = 0.03

/** Data center ids the simulator places pods in (unknown ids fail the create, as on RunPod). */
export const DEFAULT_DATA_CENTERS: readonly string[] = [
  'US-TX-3',
  'US-KS-2',
  'US-CA-2',
  'US-GA-1',
  'US-IL-1',
  'CA-MTL-1',
  'EU-RO-1',
  'EU-SE-1',
  'EU-NL-1',
  'EUR-IS-1',
  'AP-JP-1',
]

export interface PriceTable {
  gpuPrices: Readonly<Record<string, number>>
  defaultGpuPrice: number
}

export function pricePerHour(
  table: PriceTable,
  compute: { gpu?: { id: string; count: number } | null; cpu?: { vcpuCount: number } | null },
): number {
  if (compute.gpu) return (table.gpuPrices[compute.gpu.id] ?? table.defaultGpuPrice) * compute.gpu.count
  if (compute.cpu) return VCPU_PRICE * compute.cpu.vcpuCount
  return 0
}

/** The pod's `cost` field: nothing is charged for compute while EXITED or TERMINATED. */
export function billsIn(status: string): boolean {
  return status !== 'EXITED' && status !== 'TERMINATED'
}
