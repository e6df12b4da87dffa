// Token crypto throughput: podlaunch EdDSA mint and verify, against jose's own HS256 and EdDSA
// verification as peers measured in the same run on the same machine.
// Run from the repository root: npx tsx bench/tokens-crypto.ts [secondsPerCase=3]
//
// Each case awaits one operation at a time (no concurrency): what one request loop gets. WebCrypto
// runs the signature math on libuv's pool, one job in flight at a time; to hold the whole process
// to one core, run it under `taskset -c 0`.
import { randomBytes } from 'node:crypto'
import { availableParallelism, cpus } from 'node:os'
import * as jose from 'jose'
import { createKeyring, generateSigningKey, mintToken, verifyToken } from '../packages/tokens/src/index.ts'

const SECONDS = Number(process.argv[2] ?? 3)
const WARMUP_SECONDS = 1
const TARGET_VERIFY_PER_SECOND = 5_000
const ISSUER = 'https://podlaunch.bench'
const DATASET_ID = '0b6f3c1e-5a4d-4c61-9a53-1f0f2d1f4a10'
const DEPLOYMENT_ID = '7d0e2c5b-9f13-4a8e-8d7c-3b4a2e1f0c99'

async function loop(operation: () => Promise<unknown>, seconds: number): Promise<{ ops: number; ms: number }> {
  const deadline = performance.now() + seconds * 1000
  const start = performance.now()
  let ops = 0
  // Check the clock every 64 operations so timing does not dominate.
  while (true) {
    for (let i = 0; i < 64; i++) await operation()
    ops += 64
    if (performance.now() >= deadline) break
  }
  return { ops, ms: performance.now() - start }
}

async function measure(name: string, operation: () => Promise<unknown>) {
  await loop(operation, WARMUP_SECONDS)
  const { ops, ms } = await loop(operation, SECONDS)
  const perSecond = ops / (ms / 1000)
  console.log(
    `${name.padEnd(48)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} ops/s  ${((ms * 1000) / ops).toFixed(1).padStart(7)} µs/op`,
  )
  return perSecond
}

const keyring = await createKeyring({ signingKey: generateSigningKey() })
const mintOptions = {
  subject: DATASET_ID,
  claims: { dataset_id: DATASET_ID, deployment_id: DEPLOYMENT_ID },
  ttlSeconds: 3600,
  issuer: ISSUER,
}
const { token } = await mintToken(keyring, 'download', mintOptions)

// The peer: the same claims as an HS256 token, verified by jose with comparable checks.
const secret = new Uint8Array(randomBytes(32))
const hsToken = await new jose.SignJWT(jose.decodeJwt(token))
  .setProtectedHeader({ alg: 'HS256', typ: 'podlaunch-download+jwt' })
  .sign(secret)
const edPublic = await jose.importJWK(keyring.publicJwks().keys[0] as jose.JWK, 'EdDSA')

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores available`)
console.log(`${SECONDS} s per case after ${WARMUP_SECONDS} s warm-up; token ${token.length} bytes\n`)

await measure('podlaunch mintToken (EdDSA)', () => mintToken(keyring, 'download', mintOptions))
const verifyRate = await measure('podlaunch verifyToken (EdDSA)', () => verifyToken(keyring, 'download', token, { issuer: ISSUER }))
await measure('peer: jose jwtVerify EdDSA (no podlaunch rules)', () =>
  jose.jwtVerify(token, edPublic, { algorithms: ['EdDSA'], issuer: ISSUER, audience: 'podlaunch:download' }),
)
await measure('peer: jose jwtVerify HS256', () =>
  jose.jwtVerify(hsToken, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: 'podlaunch:download' }),
)

const verdict = verifyRate >= TARGET_VERIFY_PER_SECOND ? 'met' : 'MISSED'
console.log(`\ntarget >= ${TARGET_VERIFY_PER_SECOND.toLocaleString('en-US')} EdDSA verifications/s: ${verdict}`)
if (verdict === 'MISSED') process.exitCode = 1
