export interface Point {
  x: number
  y: number
}

export type Scale = (value: number) => number

/**
 * Maps [d0, d1] onto [r0, r1]. A flat domain (one point, or a constant series) maps to the
 * middle of the range rather than dividing by zero.
 */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2
  const k = (r1 - r0) / (d1 - d0)
  return (value) => r0 + (value - d0) * k
}

export function extent(values: readonly number[]): [number, number] {
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  return min === Infinity ? [0, 1] : [min, max]
}

/** About `count` round tick values (1, 2 or 5 × 10^n apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) return [min]
  const raw = (max - min) / Math.max(1, count)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  // The 1-2-5 step whose tick count comes closest to the one asked for.
  let step = magnitude
  for (const candidate of [1, 2, 5, 10].map((m) => m * magnitude)) {
    if (Math.abs((max - min) / candidate - count) < Math.abs((max - min) / step - count)) step = candidate
  }
  const ticks: number[] = []
  // Rounding keeps 0.30000000000000004 out of the labels.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(decimals)))
  return ticks
}

/** An SVG path through the points, in x order. */
export function linePath(points: readonly Point[], x: Scale, y: Scale): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(x(p.x))},${round(y(p.y))}`).join(' ')
}

const round = (n: number) => Math.round(n * 10) / 10

/** Metric rows grouped into one series per name, each sorted by step. */
export function groupSeries(rows: readonly { name: string; step: number; value: number }[]): Map<string, Point[]> {
  const series = new Map<string, Point[]>()
  for (const row of rows) {
    const list = series.get(row.name) ?? []
    list.push({ x: row.step, y: row.value })
    series.set(row.name, list)
  }
  for (const list of series.values()) list.sort((a, b) => a.x - b.x)
  return series
}

/** Short tick labels: 1.2k, 0.0031, 12. */
export function formatTick(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`
  if (abs >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`
  if (abs === 0) return '0'
  return String(Number(value.toPrecision(3)))
}
