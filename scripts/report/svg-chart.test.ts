import { describe, expect, test } from "bun:test";
import { barChart, escapeXml, formatTick, lineChart, logTicks, niceTicks } from "./svg-chart.ts";

const circles = (svg: string) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#[0-9a-f]{6}"><title>([^<]*)</g)].map((m) => ({ y: Number(m[2]), height: Number(m[4]), title: m[5] }));

describe("axis ticks", () => {
  test("nice ticks step by 1, 2 or 5 times a power of ten and cover the range", () => {
    expect(niceTicks(0, 87)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1500)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  test("an empty or flat range still gets two ticks", () => {
    expect(niceTicks(0, 0).length).toBeGreaterThanOrEqual(2);
    expect(niceTicks(5, 5).at(-1)).toBeGreaterThan(5);
  });

  test("log ticks are the powers of ten around the data", () => {
    expect(logTicks(0.8, 3500)).toEqual([0.1, 1, 10, 100, 1000, 10000]);
    expect(logTicks(2, 3)).toEqual([1, 10]);
  });

  test("tick labels are short", () => {
    expect(formatTick(15000)).toBe("15,000");
    expect(formatTick(0.05)).toBe("0.05");
    expect(formatTick(0)).toBe("0");
  });
});

describe("line chart", () => {
  const series = [
    { name: "p50", points: [[100, 2], [500, 4], [1000, 8]] as [number, number][] },
    { name: "p99 <ms>", points: [[100, 10], [500, 20], [1000, 100]] as [number, number][] },
  ];

  test("draws one marker per point, the largest x at the plot's right edge and y growing upwards", () => {
    const svg = lineChart({ title: "Latency", xLabel: "cars/s", yLabel: "ms", series, width: 720, height: 400 });
    const marks = circles(svg);
    expect(marks).toHaveLength(6);
    expect(Math.max(...marks.map(([x]) => x))).toBe(720 - 170);
    const [p50At100, p50At500] = marks;
    expect(p50At500![0]).toBeGreaterThan(p50At100![0]);
    expect(p50At500![1]).toBeLessThan(p50At100![1]);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
  });

  test("on a log axis 10 sits halfway between 1 and 100", () => {
    const svg = lineChart({ title: "t", xLabel: "x", yLabel: "y", logY: true, series: [{ name: "s", points: [[1, 1], [2, 10], [3, 100]] }] });
    const [a, b, c] = circles(svg).map(([, y]) => y);
    expect(b! - c!).toBeCloseTo(a! - b!, 0);
    expect(svg).toContain("(log scale)");
  });

  test("text is escaped and points that cannot be drawn are left out", () => {
    const svg = lineChart({ title: "A & <B>", xLabel: "x", yLabel: "y", logY: true, series: [{ name: "s", points: [[1, 0], [2, Number.NaN], [3, 5]] }] });
    expect(svg).toContain("A &amp; &lt;B&gt;");
    expect(svg).not.toContain("<B>");
    expect(circles(svg)).toHaveLength(1);
    expect(escapeXml(`"it's"`)).toBe("&quot;it&apos;s&quot;");
  });
});

describe("bar chart", () => {
  test("bar heights are proportional to their values, on one scale for every group", () => {
    const svg = barChart({
      title: "req/s",
      yLabel: "requests/s",
      groups: [
        { label: "GET one", bars: [{ name: "baseline", value: 100 }, { name: "project", value: 50 }] },
        { label: "health", bars: [{ name: "baseline", value: 80 }, { name: "project", value: Number.NaN }] },
      ],
    });
    const bars = rects(svg);
    expect(bars.map((b) => b.title)).toEqual(["GET one, baseline: 100", "GET one, project: 50", "health, baseline: 80"]);
    expect(bars[1]!.height / bars[0]!.height).toBeCloseTo(0.5, 2);
    expect(bars[2]!.height / bars[0]!.height).toBeCloseTo(0.8, 2);
    expect(svg).toStartWith('<svg xmlns="http://www.w3.org/2000/svg"');
  });
});
