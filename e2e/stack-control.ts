/** Browser tests' handle on the throwaway stack (scripts/stack.ts): where things are, stop/start an app. */

const controlUrl = `http://127.0.0.1:${process.env.E2E_CONTROL_PORT}`;

export interface StackInfo {
  natsUrl: string;
  apiUrl: string;
  webUrl: string;
  /** The demo dealer's API key: send it as Authorization: Bearer <key> on writes. */
  dealerKey: string;
  /** The stack's NATS admin, for tests that inject events no app's user may publish. */
  natsAdmin: { user: string; password: string };
  apps: Record<string, "running" | "stopped">;
}

export async function stackInfo(): Promise<StackInfo> {
  const response = await fetch(`${controlUrl}/stack`);
  if (!response.ok) throw new Error(`stack control answered ${response.status}`);
  return (await response.json()) as StackInfo;
}

export async function controlApp(name: string, action: "stop" | "start"): Promise<void> {
  const response = await fetch(`${controlUrl}/apps/${name}/${action}`, { method: "POST" });
  if (!response.ok) throw new Error(`${action} ${name}: stack control answered ${response.status}`);
}

/** Headers that let a request write as the demo dealer. */
export async function dealerHeaders(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${(await stackInfo()).dealerKey}` };
}
