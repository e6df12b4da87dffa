import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FAST, killAll, removeTempDirs, runScript, startServer, timeline } from '../test/harness.ts';
import type { EventsServer, ServerOptions } from '../test/harness.ts';

const dataset = Buffer.from('data\n');
const servers: EventsServer[] = [];
afterEach(() => killAll());
afterAll(async () => {
  killAll();
  removeTempDirs();
  await Promise.all(servers.map((s) => s.close()));
});
async function server(respond: ServerOptions['respond']): Promise<EventsServer> {
  const s = await startServer({ dataset, respond });
  servers.push(s);
  return s;
}

describe('event delivery', () => {
  it('retries 5xx and 429 with the same seq, and stores each batch once', async () => {
    const s = await server((seq, attempt) => (seq === 1 && attempt === 1 ? 503 : seq === 2 && attempt === 1 ? 429 : 200));
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'true' } });
    expect(r.code).toBe(0);
    expect(s.attempts.slice(0, 4)).toEqual([
      { seq: 1, status: 503 },
      { seq: 1, status: 200 },
      { seq: 2, status: 429 },
      { seq: 2, status: 200 },
    ]);
    expect(timeline(s.events())[0]).toBe('status:starting');
  });

  it('drops a batch refused with another 4xx without retrying, and goes on', async () => {
    const s = await server((seq) => (seq === 1 ? 400 : seq === 2 ? 409 : 200));
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'echo trained' } });
    expect(r.code).toBe(0);
    expect(s.attempts.filter((a) => a.seq === 1)).toEqual([{ seq: 1, status: 400 }]);
    expect(s.attempts.filter((a) => a.seq === 2)).toEqual([{ seq: 2, status: 409 }]);
    expect(r.stdout).toMatch(/batch 1 rejected with HTTP 400, dropped/);
    expect(r.stdout).toMatch(/server refused a status change in batch 2 \(HTTP 409\).*ILLEGAL_TRANSITION/);
    expect(timeline(s.events())).toEqual(['report:download_complete', 'status:training', 'status:succeeded', 'terminate_request:keep_alive_expired']);
  });

  it('keeps an undelivered batch with its seq and sends it later, in order', async () => {
    // seq 1 fails all three tries; the next batch tries it again first.
    const s = await server((seq, attempt) => (seq === 1 && attempt <= 3 ? 500 : 200));
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand: 'true' } });
    expect(r.code).toBe(0);
    expect(s.attempts.slice(0, 5).map((a) => `${a.seq}:${a.status}`)).toEqual(['1:500', '1:500', '1:500', '1:200', '2:200']);
    expect(timeline(s.events()).slice(0, 2)).toEqual(['status:starting', 'status:downloading']);
  });

  it('keeps events within the server limits: metric lines, message and logTail sizes', async () => {
    const s = await server(() => 200);
    const trainCommand = [
      'm="$PODLAUNCH_METRICS_FILE"',
      `echo '{"step":1,"loss":1}' >>"$m"`,
      'echo "not json" >>"$m"',
      `printf '{"step":2,"x":"%s"}\\n' "$(head -c 9000 /dev/zero | tr '\\0' a)" >>"$m"`,
      `echo '{"step":3,"loss":0.5}' >>"$m"`,
      'for i in $(seq 1 60); do head -c 3000 /dev/zero | tr "\\0" b; echo; done',
      'exit 1',
    ].join('\n');
    const r = await runScript({ server: s, dataset, spec: { ...FAST, trainCommand } });
    expect(r.code).toBe(1);
    const steps = s.events().filter((e) => e.type === 'metric').map((e) => (JSON.parse(String(e.line)) as { step: number }).step);
    expect(steps).toEqual([1, 3]);
    expect(r.stdout).toMatch(/metrics: dropped a line that is not a JSON object/);
    expect(r.stdout).toMatch(/metrics: dropped a line of 9\d{3} bytes/);
    const failed = s.events().find((e) => e.status === 'failed')!;
    expect(Buffer.byteLength(String(failed.logTail))).toBeLessThanOrEqual(64 * 1024);
    expect(String(failed.logTail).split('\n')).toHaveLength(50);
    for (const e of s.events()) if (e.type === 'log') expect(Buffer.byteLength(String(e.line))).toBeLessThanOrEqual(8 * 1024);
  });

  it('escapes log lines as JSON and truncates long ones to 8 KiB', async () => {
    const s = await server(() => 200);
    const nasty = 'quote " backslash \\ tab \t bell \u0007 esc \u001b é 😀 $(id)';
    const trainCommand = `printf '%s\\n' ${"'" + nasty.replaceAll("'", "'\\''") + "'"}; head -c 20000 /dev/zero | tr '\\0' a; echo`;
    const r = await runScript({ server: s, dataset, spec: { ...FAST, keepAliveSeconds: 0, trainCommand } });
    expect(r.code).toBe(0);
    const lines = s.events().filter((e) => e.type === 'log').map((e) => String(e.line));
    expect(lines).toContain(nasty);
    const long = lines.find((l) => l.startsWith('aaaa'))!;
    expect(long.endsWith(' [truncated]')).toBe(true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(8192);
  });
});
