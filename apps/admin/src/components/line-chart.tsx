import { extent, formatTick, linearScale, linePath, niceTicks, type Point } from '../lib/chart-scale.ts'

const WIDTH = 360
const HEIGHT = 200
const PAD = { top: 12, right: 14, bottom: 30, left: 48 }

/** A small inline SVG line chart: no chart library for a handful of series. */
export function LineChart({ title, points, xLabel = 'step' }: { title: string; points: readonly Point[]; xLabel?: string }) {
  const [x0, x1] = extent(points.map((p) => p.x))
  const [y0, y1] = extent(points.map((p) => p.y))
  const x = linearScale([x0, x1], [PAD.left, WIDTH - PAD.right])
  const y = linearScale([y0, y1], [HEIGHT - PAD.bottom, PAD.top])
  const last = points[points.length - 1]
  return (
    <figure className="chart" data-metric={title}>
      <figcaption>
        <strong>{title}</strong>
        <span className="muted">
          {' '}
          {points.length} point{points.length === 1 ? '' : 's'}
          {last ? ` · last ${formatTick(last.y)} at ${xLabel} ${last.x}` : ''}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title} against ${xLabel}, ${points.length} points`}>
        {niceTicks(y0, y1, 4).map((tick) => (
          <g key={`y${tick}`} className="grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {niceTicks(x0, x1, 5).map((tick) => (
          <text key={`x${tick}`} className="tick" x={x(tick)} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
            {formatTick(tick)}
          </text>
        ))}
        <text className="axis-label" x={WIDTH - PAD.right} y={HEIGHT - 2} textAnchor="end">
          {xLabel}
        </text>
        <path className="line" d={linePath(points, x, y)} />
        {points.map((p) => (
          <circle key={p.x} className="chart-point" cx={x(p.x)} cy={y(p.y)} r={points.length > 60 ? 1.5 : 3}>
            <title>{`${xLabel} ${p.x}: ${p.y}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  )
}
