import { describe, expect, it } from 'vitest'
import { extent, formatTick, groupSeries, linearScale, linePath, niceTicks } from './chart-scale.ts'

describe('chart scales', () => {
  it('maps a domain onto a range, inverted for SVG y', () => {
    const y = linearScale([0, 10], [100, 0])
    expect(y(0)).toBe(100)
    expect(y(10)).toBe(0)
    expect(y(2.5)).toBe(75)
  })

  it('puts a flat series in the middle instead of dividing by zero', () => {
    const x = linearScale([5, 5], [0, 200])
    expect(x(5)).toBe(100)
  })

  it('finds the extent of finite values, with a default for none', () => {
    expect(extent([3, -1, Number.NaN, 7])).toEqual([-1, 7])
    expect(extent([])).toEqual([0, 1])
  })

  it('picks round ticks inside the domain', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(0.333, 1, 4)).toEqual([0.4, 0.6, 0.8, 1])
    expect(niceTicks(1, 3, 5)).toEqual([1, 1.5, 2, 2.5, 3])
    expect(niceTicks(0, 950, 4)).toEqual([0, 200, 400, 600, 800])
    expect(niceTicks(2, 2)).toEqual([2])
  })

  it('draws a path through the points in order', () => {
    const x = linearScale([1, 3], [0, 100])
    const y = linearScale([0, 1], [50, 0])
    expect(
      linePath(
        [
          { x: 1, y: 1 },
          { x: 2, y: 0.5 },
          { x: 3, y: 0 },
        ],
        x,
        y,
      ),
    ).toBe('M0,0 L50,25 L100,50')
  })

  it('groups metric rows by name and sorts each series by step', () => {
    const series = groupSeries([
      { name: 'loss', step: 2, value: 0.5 },
      { name: 'acc', step: 1, value: 0.1 },
      { name: 'loss', step: 1, value: 1 },
    ])
    expect([...series.keys()]).toEqual(['loss', 'acc'])
    expect(series.get('loss')).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
    ])
  })

  it('keeps tick labels short', () => {
    expect(formatTick(0)).toBe('0')
    expect(formatTick(0.30000000000000004)).toBe('0.3')
    expect(formatTick(12_500)).toBe('12.5k')
    expect(formatTick(2_000_000)).toBe('2M')
  })
})
