import { expect, test } from "bun:test";
import { barChart, escapeXml, niceTicks } from "./svg-chart.ts";

test("ticks start at 0 and cover the largest value in round steps", () => {
  expect(niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100]);
  expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  expect(niceTicks(0)).toEqual([0, 1]);
});

test("one bar per finite value, heights in proportion, labels escaped", () => {
  const svg = barChart({ title: "a < b", yLabel: "ms", series: ["p50", "p99"], groups: [{ label: "x&y", values: [50, 100] }, { label: "none", values: [Number.NaN, 25] }], height: 360 });
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain("a &lt; b");
  expect(svg).toContain("x&amp;y");
  const bars = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#[0-9a-f]+"><title>/g)].map((m) => Number(m[1]));
  expect(bars).toHaveLength(3);
  // 100 is the top tick: the 100 bar is twice the 50 bar and four times the 25 bar.
  expect(bars[1]! / bars[0]!).toBeCloseTo(2, 5);
  expect(bars[1]! / bars[2]!).toBeCloseTo(4, 5);
});

test("escapeXml escapes the five XML characters", () => {
  expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
});
