/**
 * The toasts as the ToastBoard has them: one link per car (kept by registration, so a price arriving updates
 * its text in place) and the "+N more" summary, which sits outside the live region so a fast count is not
 * read out on every frame.
 */
import { element, setData, setHidden, setText } from "./dom.ts";
import { moreText, originText, pricedByText, toastText, vehicleUrl } from "./format.ts";
import type { ToastBoard } from "./toast-board.ts";

export class ToastView {
  private readonly shown = new Map<string, HTMLAnchorElement>();

  constructor(
    private readonly list: HTMLElement,
    private readonly summary: HTMLElement,
  ) {}

  /** `self`: the page's own participant, whose cars say "from you". */
  render(board: ToastBoard, now: number, apiBaseUrl: string, self?: string): void {
    const wanted = new Set<string>();
    let cursor = this.list.firstChild;
    for (const toast of board.toasts) {
      const { car, status } = toast.row;
      let link = this.shown.get(car.registration);
      if (!link) {
        link = element("a", "toast");
        link.target = "_blank";
        link.rel = "noopener";
        link.setAttribute("role", "alert");
        link.append(element("span", "toast-text"), element("span", "toast-origin"));
        this.shown.set(car.registration, link);
      }
      const href = vehicleUrl(apiBaseUrl, car.registration);
      if (link.getAttribute("href") !== href) link.href = href;
      setData(link, "status", status);
      setText(link.firstChild!, toastText(car, status));
      const by = pricedByText(car, status, self);
      setText(link.lastChild!, by ? `${originText(car, self)} · priced ${by}` : originText(car, self));
      link.classList.toggle("leaving", board.isLeaving(toast, now));
      wanted.add(car.registration);
      if (link === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(link, cursor);
    }
    for (const [registration, link] of this.shown) {
      if (wanted.has(registration)) continue;
      link.remove();
      this.shown.delete(registration);
    }
    setHidden(this.summary, board.more === 0);
    if (board.more) setText(this.summary, moreText(board.more));
    this.list.parentElement?.toggleAttribute("data-empty", board.toasts.length === 0 && board.more === 0);
  }
}
