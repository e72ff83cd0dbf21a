import { expect, test } from "bun:test";
import { problemsText, shouldWarn } from "./feed-metrics.ts";

test("the console hears about the first 20 problems, then one in a thousand", () => {
  const warned = Array.from({ length: 5_000 }, (_, i) => i + 1).filter(shouldWarn);
  expect(warned).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 1_000, 2_000, 3_000, 4_000, 5_000]);
});

test("the page's counter says what was skipped and what was shown with blanks, and nothing when all is well", () => {
  expect(problemsText({ framesSkipped: 0, framesRepaired: 0 })).toBe("");
  expect(problemsText({ framesSkipped: 1, framesRepaired: 0 })).toBe("1 bad frame skipped");
  expect(problemsText({ framesSkipped: 1_200, framesRepaired: 3 })).toBe("1,200 bad frames skipped · 3 shown with blanks");
});
