/**
 * The hub-link panel: shown only when the welcome names a link shaper's control address. It polls GET /status
 * once a second, and the form and buttons POST /settings, /cut, /hold and /restore (JSON, so the shaper's CORS
 * check applies). A refused value shows the shaper's own one-line message.
 */
import { setHidden, setText } from "./dom.ts";
import { directionText, errorLine, outageText, parseLinkStatus, settingsBody, type LinkView } from "./link-panel.ts";

const POLL_MS = 1_000;
const OUTAGE_PATHS: Record<string, string> = { cut: "/cut", hold: "/hold", restore: "/restore" };

export class LinkPanelView {
  private controlUrl: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly state: HTMLElement;
  private readonly error: HTMLElement;
  private readonly form: HTMLFormElement;

  constructor(private readonly section: HTMLElement) {
    this.state = section.querySelector("#link-state")!;
    this.error = section.querySelector("#link-error")!;
    this.form = section.querySelector("#link-form")!;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = (name: string) => (this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
      void this.post("/settings", settingsBody({ direction: field("direction"), latency: field("latency"), jitter: field("jitter"), bandwidth: field("bandwidth") }));
    });
    for (const button of section.querySelectorAll<HTMLButtonElement>("button[data-outage]")) {
      button.addEventListener("click", () => void this.post(OUTAGE_PATHS[button.dataset.outage!]!, {}));
    }
  }

  /** Shows the panel for `url` (undefined: hides it and stops polling). */
  show(url: string | undefined): void {
    if (url === this.controlUrl) return;
    this.controlUrl = url?.replace(/\/+$/, "");
    clearTimeout(this.timer);
    setHidden(this.section, !url);
    if (url) void this.poll();
  }

  private async poll(): Promise<void> {
    const url = this.controlUrl;
    if (!url) return;
    try {
      const response = await fetch(`${url}/status`, { cache: "no-store", signal: AbortSignal.timeout(3_000) });
      const view = parseLinkStatus(await response.json());
      if (view) this.render(view);
      else setText(this.state, "The link shaper's status could not be read.");
    } catch {
      setText(this.state, `No link shaper answers at ${url}.`);
    }
    if (url === this.controlUrl) this.timer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async post(path: string, body: unknown): Promise<void> {
    const url = this.controlUrl;
    if (!url) return;
    try {
      const response = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
      const answer: unknown = await response.json().catch(() => undefined);
      if (!response.ok) return this.showError(errorLine(response.status, answer));
      this.showError("");
      const view = parseLinkStatus(answer);
      if (view) this.render(view);
    } catch {
      this.showError(`No link shaper answers at ${url}.`);
    }
  }

  private showError(line: string): void {
    setText(this.error, line);
    setHidden(this.error, !line);
  }

  private render(view: LinkView): void {
    this.section.dataset.outage = view.outage;
    setText(this.state, `${outageText(view.outage)} · up: ${directionText(view.up)} · down: ${directionText(view.down)}`);
  }
}
