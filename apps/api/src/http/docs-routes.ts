/**
 * GET /swagger (Swagger UI) and GET /swagger/json (OpenAPI 3, generated from the route schemas).
 * The UI's script and stylesheet come from the swagger-ui-dist package on disk, never a CDN, so the docs
 * render on a machine without internet.
 */
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { dirname, join } from "node:path";

const dist = dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Forecourt dealer API</title>
  <link rel="stylesheet" href="/swagger/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/swagger/assets/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: "/swagger/json", dom_id: "#swagger-ui", deepLinking: true });</script>
</body>
</html>`;

/** What the route schemas cannot say: who the API is for, where it runs and how its operations group. */
const DOCUMENTATION = (version: string) => ({
  info: {
    title: "Forecourt dealer API",
    version,
    description:
      "Dealers list used cars. Responses are HAL (`application/hal+json`) with `_links` and `_actions` saying what a client can do next; every error is RFC 9457 `application/problem+json`. Start at GET /api.",
  },
  // Relative: the instance serving this document, behind whatever host or proxy the reader reached it through.
  servers: [{ url: "/", description: "This API instance" }],
  tags: [
    { name: "api", description: "The entry point" },
    { name: "vehicles", description: "Cars on the forecourt" },
    { name: "models", description: "The catalog's car models" },
    { name: "manufacturers", description: "The catalog's manufacturers" },
  ],
});

export function docsRoutes(version: string) {
  return (
    new Elysia({ name: "docs-routes" })
      .use(
        openapi({
          path: "/swagger",
          specPath: "/swagger/json",
          // No page from the plugin (it would load its UI from a CDN): the one below is served from disk.
          provider: null,
          exclude: { paths: ["/health/live", "/health/ready"] },
          documentation: DOCUMENTATION(version),
        }),
      )
      .get("/swagger", () => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } }), { detail: { hide: true } })
      .get(
        "/swagger/assets/:file",
        ({ params, set }) => {
          const type = ASSETS[params.file];
          if (!type) {
            set.status = 404;
            return "not found";
          }
          return new Response(Bun.file(join(dist, params.file)), { headers: { "content-type": type, "cache-control": "public, max-age=86400" } });
        },
        { detail: { hide: true } },
      )
  );
}
