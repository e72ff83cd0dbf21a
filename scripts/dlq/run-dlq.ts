/** Runs `bun run dlq <args>` against a given NATS as its own process, for tests that check what an operator sees. */
import { join } from "node:path";

const DLQ = join(import.meta.dir, "..", "dlq.ts");

export async function runDlq(natsUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(["bun", DLQ, ...args], { env: { ...process.env, NATS_URL: natsUrl }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}
