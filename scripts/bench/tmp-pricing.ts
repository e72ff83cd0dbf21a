import { startNatsServer, startApp, freePort } from "@forecourt/shared/testing";
const nats = await startNatsServer();
const port = await freePort();
const app = await startApp("apps/pricing/src/main.ts", { NATS_URL: nats.url, PRICING_PORT: String(port), PRICING_HTTP_PORT: String(await freePort()), ...(process.env.PROF ? {} : {}) });
console.log("port", port);
const url = `http://127.0.0.1:${port}/forecourt.pricing.v1.PriceCalculatorService/GetPrice`;
for (const [c, m] of [[1, 1], [1, 8], [2, 16]]) {
  const p = Bun.spawn(["h2load", "-c", String(c), "-m", String(m), "-D", "3", "-d", "/tmp/bt/req.bin", "-H", "content-type: application/grpc", "-H", "te: trailers", url], { stdout: "pipe" });
  const out = await new Response(p.stdout).text();
  console.log(c, m, out.split("\n").filter((l) => /finished|time for request/.test(l)).join("\n"));
}
await app.kill(); await nats.dispose();
