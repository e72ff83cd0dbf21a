/**
 * GET /swagger (Swagger UI) and GET /swagger/json (OpenAPI 3, generated from the route schemas).
 * The UI's script and stylesheet come from the swagger-ui-dist package on disk, never a CDN, so the docs
 * render on a machine without internet; its start-up script is a served file too, so the page's
 * Content-Security-Policy can forbid inline script.
 */
import { openapi } from "@elysiajs/openapi";
import type { CspDirectives } from "@forecourt/shared/platform/http";
import { Elysia } from "elysia";
import { dirname, join } from "node:path";

export const DOCS_PAGE_PATH = "/swagger";
/** The OpenAPI security scheme every write declares. */
export const DEALER_KEY_SCHEME = "dealerKey";

/**
 * What Swagger UI uses, and nothing more: its script, stylesheet and start-up script from this server, the
 * SVG icons its stylesheet inlines as data: URLs (its only images), and fetches of the document and of
 * "Try it out" calls to this API. Its inline styles are set through the DOM (React), which CSP does not restrict.
 */
export const DOCS_PAGE_CSP: CspDirectives = {
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["data:"],
  "connect-src": ["'self'"],
};

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: "${DOCS_PAGE_PATH}/json", dom_id: "#swagger-ui", deepLinking: true });\n`;

const dist = dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));
const JS = "text/javascript; charset=utf-8";
const ASSETS: Record<string, { type: string; body: () => BodyInit }> = {
  "swagger-ui.css": { type: "text/css; charset=utf-8", body: () => Bun.file(join(dist, "swagger-ui.css")) },
  "swagger-ui-bundle.js": { type: JS, body: () => Bun.file(join(dist, "swagger-ui-bundle.js")) },
  "swagger-init.js": { type: JS, body: () => INIT_SCRIPT },
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
  <script src="/swagger/assets/swagger-init.js"></script>
</body>
</html>`;

/**
 * What the route schemas cannot say: who the API is for, where it runs, how its operations group, and who may
 * call them: reads are public (the root's empty requirement), every write names DEALER_KEY_SCHEME itself.
 */
const DOCUMENTATION = (version: string) => ({
  info: {
    title: "Forecourt dealer API",
    version,
    description:
      "Dealers list used cars. Responses are HAL (`application/hal+json`) with `_links` and `_actions` saying what a client can do next; every error is RFC 9457 `application/problem+json`. Start at GET /api. Reads are public; writes need a dealer's key (`Authorization: Bearer <key>`, the Authorize button here), and a dealer may change or remove only the cars it listed.",
  },
  security: [] as Record<string, string[]>[],
  components: {
    securitySchemes: {
      [DEALER_KEY_SCHEME]: {
        type: "http" as const,
        scheme: "bearer",
        description: "A dealer's API key, fck_<dealer>_<secret>: `bun run dealers add <name>` issues one, `bun run dev` prints the demo dealer's. Missing, unknown or revoked: 401.",
      },
    },
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
      .get(DOCS_PAGE_PATH, () => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } }), { detail: { hide: true } })
      .get(
        "/swagger/assets/:file",
        ({ params, set }) => {
          const asset = ASSETS[params.file];
          if (!asset) {
            set.status = 404;
            return "not found";
          }
          return new Response(asset.body(), { headers: { "content-type": asset.type, "cache-control": "public, max-age=86400" } });
        },
        { detail: { hide: true } },
      )
  );
}
