/**
 * GET /swagger (Swagger UI) and GET /swagger/json (OpenAPI 3, generated from the route schemas).
 * The UI's script and stylesheet come from the swagger-ui-dist package on disk, never a CDN, so the docs
 * render on a machine without internet.
 */
import { swagger } from "@elysiajs/swagger";
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

export function docsRoutes(version: string) {
  return (
    new Elysia({ name: "docs-routes" })
      .use(
        swagger({
          path: "/swagger",
          specPath: "/swagger/json",
          provider: "swagger-ui",
          exclude: ["/swagger", "/health/live", "/health/ready", /^\/swagger\/assets/],
          documentation: {
            info: {
              title: "Forecourt dealer API",
              version,
              description:
                "Dealers list used cars. Responses are HAL (`application/hal+json`) with `_links` and `_actions` saying what a client can do next; every error is RFC 9457 `application/problem+json`. Start at GET /api.",
            },
            tags: [
              { name: "api", description: "The entry point" },
              { name: "vehicles", description: "Cars on the forecourt" },
              { name: "models", description: "The catalog's car models" },
              { name: "manufacturers", description: "The catalog's manufacturers" },
            ],
          },
        }),
      )
      // Registered after the plugin, so this page replaces the plugin's own (which would load Swagger UI from a CDN).
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
