import { startRunpodSim } from "./sim.ts";

// The one place this package reads process.env: the standalone entry point.
const port = Number(process.env["PORT"] ?? "0");
const apiKey = process.env["RUNPOD_SIM_API_KEY"] || undefined;
const workRoot = process.env["RUNPOD_SIM_WORK_ROOT"] || undefined;
// How long pods stay PROVISIONING (benchmarks keep them there, so no pod process runs).
const provisioningMs = process.env["RUNPOD_SIM_PROVISIONING_MS"] ? Number(process.env["RUNPOD_SIM_PROVISIONING_MS"]) : undefined;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`runpod-sim: PORT must be an integer 0-65535, got ${process.env["PORT"]}`);
  process.exit(1);
}

const sim = await startRunpodSim({ port, apiKey, workRoot, keepWorkRoot: true, ...(provisioningMs === undefined ? {} : { provisioningMs }) });
console.log(`runpod-sim listening: ${sim.url}`);
console.log(`api key: ${sim.apiKey}`);
console.log(`pod directories: ${sim.workRoot}`);
console.log(`faults: POST ${sim.origin}/_sim/faults (same bearer key)`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
