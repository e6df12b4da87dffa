import type { UserConfig } from 'vitest/config'

declare const base: UserConfig
export default base
