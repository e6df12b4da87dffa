// The admin app in real Chromium against the real server process on the local provider.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApi, type Api } from './api.ts'
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from './browser.ts'
import { startServerProcess, type ServerProcess } from './server-process.ts'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const outputDir = join(appDir, 'test-output')
const API_KEY = `pl_${randomBytes(32).toString('base64url')}`
const hasChromium = chromiumAvailable()
const missingMessage = `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` to run the admin e2e tests`

// A tiny trainer: reads the dataset, appends three loss points with a pause between them.
const TRAINER = [
  "python3 -c 'import json, os, time",
  'rows = open(os.environ["PODLAUNCH_DATASET_PATH"]).read().splitlines()',
  'print("training on", len(rows), "rows", flush=True)',
  'for step in range(1, 4):',
  '    open(os.environ["PODLAUNCH_METRICS_FILE"], "a").write(json.dumps({"step": step, "loss": round(1.0 / step, 4)}) + "\\n")',
  '    time.sleep(0.7)',
  'os.makedirs("output", exist_ok=True)',
  'open("output/model.txt", "w").write("weights")',
  "'",
].join('\n')

let server: ServerProcess
let browser: Browser
let api: Api
let dataDir: string
let fixtureDir: string
let datasetName: string

let context: BrowserContext | undefined
let page: Page
let consoleErrors: string[] = []
let allowedConsoleErrors: RegExp[] = []

if (!hasChromium && process.env.CI !== 'true') console.warn(`[admin e2e] skipped: ${missingMessage}`)

describe.skipIf(!hasChromium && process.env.CI !== 'true')('admin app in Chromium (real server, local provider)', () => {
  beforeAll(async () => {
    // Under CI a missing browser fails the run instead of skipping it.
    if (!hasChromium) throw new Error(missingMessage)
    // The server serves apps/admin/dist: build the current source before starting it.
    await promisify(execFile)(join(appDir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], { cwd: appDir })
    // Failure screenshots of an earlier run would only mislead.
    await rm(outputDir, { recursive: true, force: true })
    await mkdir(outputDir, { recursive: true })
    dataDir = await mkdtemp(join(tmpdir(), 'podlaunch-admin-e2e-'))
    fixtureDir = await mkdtemp(join(tmpdir(), 'podlaunch-admin-files-'))
    ;[server, browser] = await Promise.all([startServerProcess({ appDir, dataDir, apiKey: API_KEY }), launchChromium()])
    api = createApi(server.url, API_KEY)
    datasetName = 'fixture-rows'
    await api.uploadDataset(datasetName, 'rows.csv', 'a,b\n1,2\n3,4\n5,6\n')
  })

  afterAll(async () => {
    await context?.close().catch(() => undefined)
    await browser?.close()
    await server?.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
    if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true })
  })

  beforeEach(async () => {
    consoleErrors = []
    allowedConsoleErrors = []
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    page.setDefaultTimeout(15_000)
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`.trim())
    })
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`))
  })

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const file = join(outputDir, `${task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`)
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
    }
    const unexpected = consoleErrors.filter((text) => !allowedConsoleErrors.some((pattern) => pattern.test(text)))
    await context?.close()
    context = undefined
    expect(unexpected, 'console errors on the page').toEqual([])
  })

  async function login() {
    await page.goto(server.url)
    await page.getByLabel('API key').fill(API_KEY)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expectVisible(page.getByRole('heading', { name: 'Deployments', level: 1 }))
  }

  const expectVisible = (locator: ReturnType<Page['locator']>, timeout?: number) =>
    locator.waitFor({ state: 'visible', ...(timeout ? { timeout } : {}) })

  async function createDeploymentByApi(name: string, trainCommand: string) {
    const datasets = await api.query<{ items: { id: string; name: string }[] }>('datasets.list', { status: 'ready' })
    const dataset = datasets.items.find((d) => d.name === datasetName)!
    return api.mutate<{ id: string }>('deployments.create', {
      name,
      datasetId: dataset.id,
      provider: 'local',
      gpu: { types: ['NVIDIA GeForce RTX 4090'] },
      trainCommand,
      keepAliveSeconds: 1,
    })
  }

  const heading = () => page.getByRole('heading', { level: 1 })

  it('logs in with a valid key, refuses a wrong one, and logs out', async () => {
    // The browser itself logs the refused request (401) as a console error; nothing else may appear.
    allowedConsoleErrors = [/status of 401/]
    await page.goto(server.url)
    await page.getByLabel('API key').fill(`pl_${'x'.repeat(43)}`)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expectVisible(page.getByText('That API key was not accepted'))
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)

    await page.getByLabel('API key').fill(API_KEY)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expectVisible(page.getByRole('heading', { name: 'Deployments', level: 1 }))
    await expectVisible(page.getByText('admin', { exact: true }))
    await page.getByRole('button', { name: 'Log out' }).click()
    await expectVisible(page.getByLabel('API key'))
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
  })

  it('uploads a dataset with a progress bar reaching 100 % and gives a signed download URL', async () => {
    const content = Array.from({ length: 2000 }, (_, i) => `${i},${(i * 7) % 13}`).join('\n')
    const file = join(fixtureDir, 'train-upload.csv')
    await writeFile(file, content)
    const sha256 = createHash('sha256').update(content).digest('hex')
    await login()
    await page.getByRole('link', { name: 'Datasets' }).click()
    await page.getByLabel('File').setInputFiles(file)
    await page.getByLabel('Name', { exact: true }).fill('uploaded-from-browser')
    await page.getByRole('button', { name: 'Upload', exact: true }).click()

    const bar = page.getByRole('progressbar', { name: 'Upload progress' })
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('100')
    await expectVisible(page.getByText('Uploaded uploaded-from-browser (100%)'))
    const row = page.getByRole('row').filter({ hasText: 'uploaded-from-browser' })
    await expectVisible(row.getByText('ready'))
    expect(await row.locator('code').getAttribute('title')).toBe(sha256)

    await row.getByRole('button', { name: 'Download URL for uploaded-from-browser' }).click()
    const urlField = page.getByTestId('download-url')
    await expectVisible(urlField)
    const signed = await urlField.inputValue()
    expect(signed).toMatch(/\/v1\/datasets\/download\?token=ey/)
    await expectVisible(page.getByText(/^Expires \d{4}-\d\d-\d\d/))
    const downloaded = await fetch(`${server.url}${new URL(signed).pathname}${new URL(signed).search}`)
    expect(await downloaded.text()).toBe(content)

    await row.getByRole('button', { name: 'Delete uploaded-from-browser' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, delete it' }).click()
    await page.getByRole('row').filter({ hasText: 'uploaded-from-browser' }).waitFor({ state: 'detached' })
  })

  it('creates a deployment through the form; the preview sha256 is what the server stores; it succeeds live with a chart', async () => {
    await login()
    await page.getByRole('link', { name: 'New deployment' }).first().click()
    await page.getByLabel('Name', { exact: true }).fill('form-trainer')
    await page.getByLabel('Dataset').selectOption({ label: `${datasetName} (rows.csv)` })
    await page.getByLabel('Provider').selectOption('local')
    await page.getByLabel('Train command').fill(TRAINER)
    await page.getByLabel('Keep-alive (s)').fill('1')
    await page.getByRole('button', { name: 'Add variable' }).click()
    await page.getByLabel('Env name 1').fill('LEARNING_RATE')
    await page.getByLabel('Env value 1').fill('0.001')

    const previewSha = page.locator('[data-testid="preview-sha256"][data-fresh="true"]')
    await expectVisible(previewSha)
    const sha = await previewSha.textContent()
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    await page.getByRole('button', { name: 'Create deployment' }).click()

    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/)
    const id = page.url().split('/').pop()!
    await expectVisible(page.getByTestId('stored-sha256'))
    expect(await page.getByTestId('stored-sha256').textContent()).toBe(sha)
    expect((await api.query<{ scriptSha256: string }>('deployments.get', { id })).scriptSha256).toBe(sha)

    // No reload from here on: the SSE stream and the polls move the page along.
    await expectVisible(heading().locator('[data-status="succeeded"]'), 60_000)
    const points = page.locator('figure[data-metric="loss"] .chart-point')
    await expect.poll(() => points.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    await expectVisible(page.getByRole('list', { name: 'Status timeline' }).locator('[data-status="training"]'))
    await expect.poll(() => page.getByLabel('Log tail').textContent(), { timeout: 10_000 }).toContain('training on 4 rows')
    // The pod uploaded output/ as an artifact: listed with a working download button.
    const artifacts = page.getByRole('table', { name: 'Artifacts' })
    await expectVisible(artifacts.getByRole('button', { name: /^Download artifacts\.tar/ }), 20_000)
    expect(await artifacts.getByRole('button', { name: /^Download / }).isEnabled()).toBe(true)
  }, 90_000)

  it('shows why a deployment failed and its last log lines before anything else', async () => {
    const created = await createDeploymentByApi('doomed', 'echo "loading the model"; echo "CUDA error: out of memory (simulated)"; exit 3')
    await login()
    // The list follows the deployment live, then the detail opens from it.
    const row = page.locator(`tr[data-deployment-id="${created.id}"]`)
    await expectVisible(row.locator('[data-status="failed"]'), 60_000)
    await row.getByRole('link', { name: 'doomed' }).click()

    const failure = page.locator('section.failure')
    await expectVisible(failure)
    await expectVisible(failure.getByText('training_failed'))
    await expect.poll(() => failure.getByLabel('Last log lines').textContent()).toContain('CUDA error: out of memory (simulated)')
    // "First": the failure section directly follows the heading, before facts, timeline and logs.
    const order = await page.locator('section.detail > *').evaluateAll((nodes) => nodes.map((n) => n.className || n.tagName))
    expect(order.slice(0, 3)).toEqual(['crumbs', 'page-head', 'failure'])
  })

  it('cancels a running deployment through the confirmation dialog', async () => {
    const created = await createDeploymentByApi('sleeper', 'echo started; sleep 600')
    await login()
    await page.goto(`${server.url}/deployments/${created.id}`)
    await expectVisible(heading().locator('[data-status="training"]'), 30_000)
    await page.getByRole('button', { name: 'Cancel deployment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Cancel this deployment?' })
    await expectVisible(dialog)
    // Backing out first changes nothing.
    await dialog.getByRole('button', { name: 'Keep it running' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: 'Cancel deployment' }).click()
    await dialog.getByRole('button', { name: 'Yes, cancel it' }).click()
    await expectVisible(heading().locator('[data-status="cancelled"]'))
    await expect.poll(() => page.getByTestId('pod-state').textContent(), { timeout: 20_000 }).toMatch(/^terminated/)
  })

  it('stays usable at 390 px wide: no page-wide horizontal scroll, the table scrolls in its box', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await login()
    const shots = join(outputDir, 'screens')
    await mkdir(shots, { recursive: true })
    // Detail pages of whatever the earlier tests left behind (run alone, only the lists).
    const { items } = await api.query<{ items: { id: string; status: string }[] }>('deployments.list', {})
    const detail = (status: string) =>
      items.filter((d) => d.status === status).map((d) => [`/deployments/${d.id}`, `detail-${status}`] as const)
    for (const [path, name] of [
      ...detail('succeeded'),
      ...detail('failed'),
      ['/deployments', 'deployments'],
      ['/deployments/new', 'new-deployment'],
      ['/datasets', 'datasets'],
      ['/api-keys', 'api-keys'],
    ] as const) {
      await page.goto(`${server.url}${path}`)
      await expectVisible(heading())
      // Not 'networkidle': the event stream keeps a request open. Let queries settle instead.
      await page.waitForTimeout(400)
      // Names the widest offenders, so a failure says what to fix.
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth
        const wide = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrap'))
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        return { by: document.documentElement.scrollWidth - width, wide }
      })
      expect(overflow, `${path} scrolls sideways`).toEqual({ by: 0, wide: [] })
      await page.screenshot({ path: join(shots, `${name}-390.png`), fullPage: true })
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.screenshot({ path: join(shots, `${name}-1280.png`), fullPage: true })
      await page.setViewportSize({ width: 390, height: 844 })
    }
  }, 60_000)
})
