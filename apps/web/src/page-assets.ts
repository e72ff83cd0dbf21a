/** The live page's files: the HTML and CSS as written, the TypeScript bundled by Bun.build once at start. */
import { join } from "node:path";

export interface PageAssets {
  html: string;
  js: string;
  css: string;
}

const PAGE_DIR = join(import.meta.dir, "page");

export async function buildPageAssets(): Promise<PageAssets> {
  const result = await Bun.build({ entrypoints: [join(PAGE_DIR, "app.ts")], target: "browser", minify: true, sourcemap: "inline" });
  if (!result.success) throw new AggregateError(result.logs, "the live page's script did not build");
  const [html, js, css] = await Promise.all([
    Bun.file(join(PAGE_DIR, "index.html")).text(),
    result.outputs[0]!.text(),
    Bun.file(join(PAGE_DIR, "styles.css")).text(),
  ]);
  return { html, js, css };
}
