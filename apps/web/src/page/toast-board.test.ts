import { expect, test } from "bun:test";
import type { CarRow } from "./feed-state.ts";
import { LEAVING_MS, ToastBoard } from "./toast-board.ts";

const row = (registration: string, status: CarRow["status"] = "listed", seq = 1): CarRow => ({ car: { registration }, status, seq });
const shown = (board: ToastBoard) => board.toasts.map((t) => t.row.car.registration);

test("three cars get toasts, newest first; the rest are counted in one summary", () => {
  const board = new ToastBoard(3, 8_000);
  for (let i = 1; i <= 200; i++) board.offer(row(`CAR${i}`), i);
  expect(shown(board)).toEqual(["CAR3", "CAR2", "CAR1"]);
  expect(board.more).toBe(197);
});

test("a price updates the car's toast if it is up, and nothing otherwise", () => {
  const board = new ToastBoard(1, 8_000);
  board.offer(row("AAA"), 0);
  board.offer(row("BBB"), 0);
  expect(board.update(row("AAA", "priced", 2))).toBe(true);
  expect(board.toasts[0]!.row.status).toBe("priced");
  expect(board.update(row("BBB", "priced", 3))).toBe(false);
  expect(board.has("BBB")).toBe(false);
});

test("a car listed again while its toast is up keeps one toast", () => {
  const board = new ToastBoard(3, 8_000);
  board.offer(row("AAA"), 0);
  board.offer(row("AAA", "listed", 2), 1);
  expect(shown(board)).toEqual(["AAA"]);
  expect(board.more).toBe(0);
});

test("toasts go after their time, the summary after its last car's, and freed room goes to the next car", () => {
  const board = new ToastBoard(2, 1_000);
  board.offer(row("AAA"), 0);
  board.offer(row("BBB"), 500);
  board.offer(row("CCC"), 600);
  // AAA began leaving at 400; next is BBB beginning to leave.
  expect(board.nextChangeAt(600)).toBe(1_500 - LEAVING_MS);
  expect(board.expire(999)).toBe(false);
  expect(board.expire(1_000)).toBe(true);
  expect(shown(board)).toEqual(["BBB"]);
  expect(board.more).toBe(1);
  board.offer(row("DDD"), 1_100);
  expect(shown(board)).toEqual(["DDD", "BBB"]);
  board.expire(1_600);
  expect(board.more).toBe(0);
  expect(board.nextChangeAt(5_000)).toBeUndefined();
});

test("a toast is leaving for its last LEAVING_MS", () => {
  const board = new ToastBoard(1, 8_000);
  board.offer(row("AAA"), 0);
  const toast = board.toasts[0]!;
  expect(board.isLeaving(toast, 8_000 - LEAVING_MS - 1)).toBe(false);
  expect(board.isLeaving(toast, 8_000 - LEAVING_MS)).toBe(true);
});
