import { describe, expect, it } from 'vitest'
import { SimEnvError, simOptionsFromEnv } from './env.ts'

describe('simOptionsFromEnv', () => {
  it("reads the CLI's settings and passes pods only PATH and HOME", () => {
    const options = simOptionsFromEnv({
      PORT: '8787',
      RUNPOD_SIM_API_KEY: 'dev',
      RUNPOD_SIM_WORK_ROOT: '/tmp/sim',
      RUNPOD_SIM_PROVISIONING_MS: '3600000',
      PATH: '/opt/bin:/usr/bin',
      HOME: '/home/dev',
      DATABASE_URL: 'postgres://secret@db/x',
    })
    expect(options).toEqual({
      port: 8787,
      apiKey: 'dev',
      workRoot: '/tmp/sim',
      provisioningMs: 3_600_000,
      hostEnv: { PATH: '/opt/bin:/usr/bin', HOME: '/home/dev' },
    })
  })

  it('defaults to any free port and leaves the rest to startRunpodSim', () => {
    expect(simOptionsFromEnv({ RUNPOD_SIM_API_KEY: '', RUNPOD_SIM_WORK_ROOT: '' })).toEqual({
      port: 0,
      apiKey: undefined,
      workRoot: undefined,
      hostEnv: {},
    })
  })

  it.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ RUNPOD_SIM_PROVISIONING_MS: 'soon' }, 'RUNPOD_SIM_PROVISIONING_MS'],
    [{ RUNPOD_SIM_PROVISIONING_MS: '-5' }, 'RUNPOD_SIM_PROVISIONING_MS'],
  ])('refuses %o naming %s', (source, name) => {
    expect(() => simOptionsFromEnv(source)).toThrow(SimEnvError)
    expect(() => simOptionsFromEnv(source)).toThrow(name)
  })
})
