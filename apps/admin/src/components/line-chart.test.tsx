import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { LineChart } from './line-chart.tsx'
import { StatusBadge } from './status-badge.tsx'

describe('LineChart', () => {
  it('draws one point per value and labels itself for screen readers', () => {
    const html = renderToStaticMarkup(
      <LineChart
        title="loss"
        points={[
          { x: 1, y: 1 },
          { x: 2, y: 0.5 },
          { x: 3, y: 0.33 },
        ]}
      />,
    )
    expect(html.match(/class="chart-point"/g)).toHaveLength(3)
    expect(html).toContain('aria-label="loss against step, 3 points"')
    expect(html).toContain('last 0.33 at step 3')
    expect(html).not.toContain('NaN')
  })

  it('copes with a single point', () => {
    const html = renderToStaticMarkup(<LineChart title="acc" points={[{ x: 5, y: 0.9 }]} />)
    expect(html).not.toContain('NaN')
    expect(html).toContain('1 point ')
  })
})

describe('StatusBadge', () => {
  it('carries the status as text and as its tone class', () => {
    expect(renderToStaticMarkup(<StatusBadge status="failed" />)).toBe(
      '<span class="badge badge-danger" data-status="failed">failed</span>',
    )
  })
})
