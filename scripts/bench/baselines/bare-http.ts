/**
 * Baseline: a bare `Bun.serve` answering fixed bodies by path, no framework, no NATS: the ceiling a Bun HTTP
 * app on this machine can reach. `bun bare-http.ts <port> <routes.json>`, where routes.json maps a path
 * (with its query) to `{ contentType, body }`. Prints "ready" once listening.
 */
import { readFileSync } from "node:fs";

const [port, routesFile] = process.argv.slice(2);
const routes = new Map(
  Object.entries(JSON.parse(readFileSync(routesFile!, "utf8")) as Record<string, { contentType: string; body: string }>).map(([path, r]) => [path, r] as const),
);
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  fetch(request) {
    const url = request.url;
    const route = routes.get(url.slice(url.indexOf("/", 8)));
    return route ? new Response(route.body, { headers: { "content-type": route.contentType } }) : new Response("not found", { status: 404 });
  },
});
console.log("ready");
