import { useMemo } from 'react'
import { ErrorText } from '../components/error-text.tsx'
import { LineChart } from '../components/line-chart.tsx'
import type { MetricPoint } from '../lib/api-types.ts'
import { groupSeries } from '../lib/chart-scale.ts'

export function MetricsCharts({ points, error }: { points: readonly MetricPoint[] | undefined; error: unknown }) {
  const series = useMemo(() => [...groupSeries(points ?? []).entries()], [points])
  return (
    <section className="card" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <ErrorText error={error} prefix="Could not load metrics" />
      {series.length === 0 && <p className="muted">No metrics reported yet. The trainer appends JSON lines to $PODLAUNCH_METRICS_FILE.</p>}
      <div className="charts">
        {series.map(([name, list]) => (
          <LineChart key={name} title={name} points={list} />
        ))}
      </div>
    </section>
  )
}
