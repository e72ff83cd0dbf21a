import { expect, test } from "bun:test";
import { Counter, Histogram, Registry } from "prom-client";
import { parsePrometheusText, sampleSum } from "./prometheus-text.ts";

test("prom-client's own output parses, with labels, escapes, histograms and values read back", async () => {
  const registry = new Registry();
  const requests = new Counter({ name: "t_requests_total", help: "requests", labelNames: ["route", "status"], registers: [registry] });
  const duration = new Histogram({ name: "t_duration_seconds", help: "time", labelNames: ["route"], buckets: [0.1, 1], registers: [registry] });
  requests.inc({ route: "/api/vehicles/:registration", status: "200" }, 3);
  requests.inc({ route: 'a "quoted"\\path\nnext', status: "500" });
  duration.observe({ route: "/x" }, 0.05);
  duration.observe({ route: "/x" }, 5);
  const exposition = parsePrometheusText(await registry.metrics());
  expect(exposition.types.get("t_requests_total")).toBe("counter");
  expect(exposition.types.get("t_duration_seconds")).toBe("histogram");
  expect(sampleSum(exposition, "t_requests_total", { route: "/api/vehicles/:registration" })).toBe(3);
  expect(sampleSum(exposition, "t_requests_total", { route: 'a "quoted"\\path\nnext', status: "500" })).toBe(1);
  expect(sampleSum(exposition, "t_requests_total")).toBe(4);
  expect(sampleSum(exposition, "t_duration_seconds_bucket", { route: "/x", le: "0.1" })).toBe(1);
  expect(sampleSum(exposition, "t_duration_seconds_count", { route: "/x" })).toBe(2);
  expect(sampleSum(exposition, "t_missing_total")).toBe(0);
});

test("special values and timestamps are read", () => {
  const exposition = parsePrometheusText("# TYPE g gauge\ng{a=\"1\"} +Inf 1700000000000\ng{a=\"2\"} NaN\ng{a=\"3\"} -1.5e3\ng{a=\"4\"} Nan\ng{a=\"5\"} -inf\n");
  expect(exposition.samples.map((s) => s.value)).toEqual([Infinity, NaN, -1500, NaN, -Infinity]);
});

test("each way of breaking the format is refused with its line number", () => {
  const broken: [string, RegExp][] = [
    ["x{a=1} 1", /line 1: label "a" value is not quoted/],
    ['x{a="1" 1', /line 1: expected , or }/],
    ['x{1a="1"} 1', /bad label name/],
    ['x{a="1",a="2"} 1', /repeated/],
    ["x one", /"one" is not a number/],
    ["x 1 2 3", /expected a value and at most a timestamp/],
    ["# TYPE x countr", /unknown type/],
    ["# TYPE x counter\n# TYPE x counter", /line 2: second TYPE line/],
    ["x 1\n# TYPE x counter", /line 2: TYPE after the family's samples/],
    ["# TYPE h histogram\nh_bucket 1", /histogram bucket without le/],
    ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1', /buckets decrease/],
    ['# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1', /no \+Inf bucket/],
    ['# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3', /differs from _count/],
    ["-x 1", /not a sample/],
  ];
  for (const [text, reason] of broken) expect(() => parsePrometheusText(text), text).toThrow(reason);
});
