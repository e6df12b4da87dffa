import { describe, expect, it } from 'vitest'
import { ConfigError, parseEnv, publicUrlOf } from './env.ts'

describe('parseEnv', () => {
  it('fills defaults: embedded database, .podlaunch, public URL from host and port', () => {
    const env = parseEnv({}, '/srv/app')
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', LOG_LEVEL: 'info' })
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.dataDir).toBe('/srv/app/.podlaunch')
    expect(publicUrlOf(env, 3000)).toBe('http://127.0.0.1:3000')
    expect(publicUrlOf(parseEnv({ HOST: '0.0.0.0', PORT: '0' }), 41234)).toBe('http://127.0.0.1:41234')
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PODLAUNCH_PUBLIC_URL: 'ftp://pods' }, 'PODLAUNCH_PUBLIC_URL'],
    [{ PODLAUNCH_ADMIN_API_KEY: 'secret-value' }, 'PODLAUNCH_ADMIN_API_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %o naming %s and never echoing the value', (source, name) => {
    const error = (() => {
      try {
        parseEnv(source)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(name)
    expect((error as Error).message).not.toContain('secret-value')
  })

  it('gives local pods PATH, HOME and LANG of the environment and none of its secrets', () => {
    const env = parseEnv({ PATH: '/usr/bin', HOME: '/home/op', PODLAUNCH_RUNPOD_API_KEY: 'rpa_secret', PODLAUNCH_SIGNING_KEY: 'pem' })
    expect(env.hostEnv).toEqual({ PATH: '/usr/bin', HOME: '/home/op' })
  })

  it('keeps an explicit public URL without its trailing slash', () => {
    expect(publicUrlOf(parseEnv({ PODLAUNCH_PUBLIC_URL: 'https://pods.example.com/' }), 3000)).toBe('https://pods.example.com')
  })
})
