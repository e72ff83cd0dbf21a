import { expect, test } from "bun:test";
import fc from "fast-check";
import { cleanText, MAX_PRICE, parseServerFrame, type GuardResult } from "./frame-guard.ts";

const now = new Date("2026-06-01T00:00:00Z");
const vehicle = { registration: "AB12CDE", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: "2026-05-28T10:00:00.000Z" };
const frame = (extra: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "vehicle", seq: 7, event: "listed", backlog: false, publishedAt: "2026-05-28T10:00:00.000Z", origin: "alice", vehicle: { ...vehicle, ...fields }, ...extra });
const priced = (fields: Record<string, unknown>) => frame({ event: "priced", pricedBy: "bob" }, { price: 7450, currencyCode: "GBP", pricedAt: "2026-05-28T10:00:01.000Z", ...fields });
const parse = (text: unknown) => parseServerFrame(text, { now });

function kept(result: GuardResult) {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  if (result.message.type !== "vehicle") throw new Error(`not a vehicle frame: ${result.message.type}`);
  return { car: result.message.car, problems: result.problems, message: result.message };
}

test("a well-formed frame passes with every field and no problems", () => {
  const { car, problems, message } = kept(parse(priced({})));
  expect(problems).toEqual([]);
  expect(message).toMatchObject({ seq: 7, event: "priced", backlog: false });
  expect(car).toEqual({ registration: "AB12CDE", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, price: 7450, currencyCode: "GBP", origin: "alice", pricedBy: "bob" });
});

test("frames the page cannot place are refused with a reason", () => {
  const refused = (text: unknown) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    return result.ok ? "" : result.reason;
  };
  expect(refused("{not json")).toBe("frame is not JSON");
  expect(refused(new ArrayBuffer(4))).toBe("frame is not text");
  expect(refused("[1,2]")).toBe("frame is not a JSON object");
  expect(refused("null")).toBe("frame is not a JSON object");
  expect(refused(JSON.stringify({ type: "sold" }))).toContain('unknown frame type "sold"');
  expect(refused(JSON.stringify({ type: "vehicle" }))).toContain("seq missing");
  expect(refused(frame({ seq: "7" }))).toContain('seq "7"');
  expect(refused(frame({ seq: 0 }))).toContain("seq 0");
  expect(refused(frame({ seq: 1.5 }))).toContain("seq 1.5");
  expect(refused(frame({ seq: 2 ** 60 }))).toContain("is not a stream sequence");
  expect(refused(frame({ event: "sold" }))).toContain('unknown event "sold"');
  expect(refused(frame({ vehicle: "AB12CDE" }))).toContain("vehicle is not an object");
  expect(refused(frame({ vehicle: null }))).toContain("vehicle is not an object");
  expect(refused(frame({}, { registration: undefined }))).toContain("registration missing");
  expect(refused(frame({}, { registration: "<img src=x onerror=alert(1)>" }))).toContain("registration");
  expect(refused(frame({}, { registration: "ab12cde" }))).toContain("registration");
  expect(refused(frame({}, { registration: "ABCDEFGHIJK" }))).toContain("registration");
});

test("a bad price, currency or year is left out and named, and the rest of the car is kept", () => {
  for (const [fields, field] of [
    [{ price: -5 }, "price -5"],
    [{ price: 0 }, "price 0"],
    [{ price: 12.5 }, "price 12.5"],
    [{ price: MAX_PRICE + 1 }, `price ${MAX_PRICE + 1}`],
    [{ price: 1e308 }, "price 1e+308"],
    [{ price: "999999999999999999999" }, "price"],
    [{ price: { toString: 1 } }, "price (object)"],
    [{ price: undefined }, "price missing"],
    [{ currencyCode: "<script>alert(1)</script>" }, 'currencyCode "<script>alert(1)</script>"'],
    [{ currencyCode: "gbp" }, 'currencyCode "gbp"'],
    [{ currencyCode: "XYZ" }, 'currencyCode "XYZ"'],
    [{ currencyCode: "" }, 'currencyCode ""'],
  ] as const) {
    const { car, problems } = kept(parse(priced(fields)));
    expect(car.price).toBeUndefined();
    expect(car.currencyCode).toBeUndefined();
    expect(car).toMatchObject({ registration: "AB12CDE", color: "Blue", year: 2015 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(field);
  }
});

test("an int64 price written as a string (proto3 JSON) is accepted", () => {
  expect(kept(parse(priced({ price: "7450" }))).car.price).toBe(7450);
});

test("years outside 1900 to next year, codes that are not catalog codes and non-text names are left out", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ year: 2028 }, "year"],
    [{ year: 1899 }, "year"],
    [{ year: 99_999_999 }, "year"],
    [{ year: "2015" }, "year"],
    [{ manufacturerCode: "Ford Motor" }, "manufacturerCode"],
    [{ manufacturerCode: "ford.>" }, "manufacturerCode"],
    [{ modelCode: 7 }, "modelCode"],
    [{ color: "" }, "color"],
    [{ color: ["Blue"] }, "color"],
    [{ manufacturerName: 5 }, "manufacturerName"],
    [{ modelName: { a: 1 } }, "modelName"],
  ];
  for (const [fields, name] of cases) {
    const { car, problems } = kept(parse(frame({}, fields)));
    expect(Object.keys(car)).not.toContain(name);
    expect(problems.map((p) => p.split(": ")[1]!.split(" ")[0])).toEqual([name]);
  }
  expect(kept(parse(frame({}, { year: 2027 }))).problems).toEqual([]);
});

test("empty display names are not problems: proto3 JSON leaves them out and the page falls back to codes", () => {
  const { car, problems } = kept(parse(frame({}, { manufacturerName: "", modelName: undefined })));
  expect(problems).toEqual([]);
  expect(car.manufacturerName).toBeUndefined();
});

test("hostile text is kept as text: markup stays literal, invisible and control characters go, long text is cut", () => {
  const { car, problems } = kept(parse(frame({}, { color: "<b onmouseover=alert(1)>Red</b>", modelCode: "ford-fiesta", modelName: "Fi\u202eatse\u0000\u200b", manufacturerName: "F".repeat(10_000) })));
  expect(problems).toEqual([]);
  expect(car.color).toBe("<b onmouseover=alert(1)>Red</b>");
  expect(kept(parse(frame({}, { color: "<script>alert(1)</script><script>alert(2)</script>" }))).car.color).toBe("<script>alert(1)</script><scrip…");
  expect(car.modelName).toBe("Fiatse");
  expect(car.manufacturerName).toBe(`${"F".repeat(63)}…`);
  expect(cleanText("\u0007\u200f  ", 10)).toBeUndefined();
  expect(cleanText("😀".repeat(5), 3)).toBe("😀😀…");
});

test("backlog is true only when the frame says so", () => {
  expect(kept(parse(frame({ backlog: true }))).message.backlog).toBe(true);
  expect(kept(parse(frame({ backlog: "yes" }))).message.backlog).toBe(false);
});

test("a welcome keeps only an http(s) API address and manufacturers with valid codes", () => {
  const result = parse(JSON.stringify({ type: "welcome", apiBaseUrl: "javascript:alert(1)", manufacturers: [{ code: "ford", name: "Ford" }, { code: "<x>", name: "X" }, "vw", { code: "kia" }], participant: "alice" }));
  expect(result).toMatchObject({ ok: true, message: { type: "welcome", manufacturers: [{ code: "ford", name: "Ford" }, { code: "kia", name: "kia" }] } });
  if (!result.ok || result.message.type !== "welcome") throw new Error("expected a welcome");
  expect(result.message.apiBaseUrl).toBeUndefined();
  expect(result.problems).toHaveLength(2);
  expect(parse(JSON.stringify({ type: "welcome", apiBaseUrl: "http://127.0.0.1:3000", manufacturers: [], participant: "alice", hub: "connected" }))).toMatchObject({ ok: true, problems: [], message: { apiBaseUrl: "http://127.0.0.1:3000", participant: "alice", hub: "connected" } });
  expect(parse(JSON.stringify({ type: "welcome", apiBaseUrl: "https://x", manufacturers: 3 }))).toMatchObject({ ok: true, message: { manufacturers: [] } });
});

test("an error frame's text is cleaned before it reaches the console", () => {
  expect(parse(JSON.stringify({ type: "error", code: 5, message: "bad\u0000 thing" }))).toMatchObject({ ok: true, message: { type: "error", code: "unknown", message: "bad thing" } });
});

test("no JSON value at all makes the guard throw, and whatever it keeps obeys the field rules", () => {
  const anyField = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer()), fc.object());
  fc.assert(
    fc.property(
      fc.record({ seq: fc.oneof(anyField, fc.integer({ min: 1 })), event: fc.oneof(anyField, fc.constantFrom("listed", "priced")), backlog: anyField }),
      fc.record({ registration: fc.oneof(anyField, fc.stringMatching(/^[A-Z0-9]{1,10}$/)), price: anyField, currencyCode: anyField, year: anyField, color: anyField, manufacturerCode: anyField, modelName: anyField }),
      (outer, fields) => {
        const result = parse(JSON.stringify({ type: "vehicle", ...outer, vehicle: fields }));
        if (!result.ok || result.message.type !== "vehicle") return;
        const { car } = result.message;
        expect(Number.isSafeInteger(result.message.seq)).toBe(true);
        if (car.price !== undefined) expect(Number.isInteger(car.price) && car.price > 0 && car.price <= MAX_PRICE && /^[A-Z]{3}$/.test(car.currencyCode!)).toBe(true);
        if (car.year !== undefined) expect(Number.isInteger(car.year)).toBe(true);
        for (const text of [car.color, car.modelName]) if (text !== undefined) expect(typeof text).toBe("string");
      },
    ),
  );
});

test("origin and pricedBy pass only as participant names; anything else is shown as a blank and named", () => {
  expect(kept(parse(frame())).car.origin).toBe("alice");
  expect(kept(parse(frame())).car).not.toHaveProperty("pricedBy");
  for (const bad of ["Alice", "a.b", "x".repeat(21), "", 7, "<img>", "al ice"]) {
    const { car, problems } = kept(parse(frame({ origin: bad })));
    expect(car).not.toHaveProperty("origin");
    expect(problems.join()).toContain("origin");
    const pricedResult = kept(parse(priced({}).replace('"pricedBy":"bob"', `"pricedBy":${JSON.stringify(bad)}`)));
    expect(pricedResult.car).not.toHaveProperty("pricedBy");
    expect(pricedResult.car.price).toBe(7450);
    if (bad !== "") expect(pricedResult.problems.join()).toContain("pricedBy");
  }
  expect(kept(parse(frame({ origin: undefined }))).problems.join()).toContain("origin missing");
  // An older server put pricedBy on the vehicle only; a priced frame without it is no problem (shown as "—").
  expect(kept(parse(frame({ event: "priced" }, { price: 7450, currencyCode: "GBP", pricedBy: "carol" }))).car.pricedBy).toBe("carol");
  expect(kept(parse(frame({ event: "priced" }, { price: 7450, currencyCode: "GBP" }))).problems).toEqual([]);
});

test("a hub frame passes with a known status only; the welcome's participant, hub and link control address are checked", () => {
  expect(parse(JSON.stringify({ type: "hub", hub: "disconnected" }))).toEqual({ ok: true, message: { type: "hub", hub: "disconnected" }, problems: [] });
  const refused = parse(JSON.stringify({ type: "hub", hub: "up" }));
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.reason).toContain('status "up"');
  const welcome = (extra: Record<string, unknown>) => parse(JSON.stringify({ type: "welcome", apiBaseUrl: "http://127.0.0.1:3000", manufacturers: [], participant: "bob", ...extra }));
  expect(welcome({ hub: "sideways", participant: "Bob!" })).toMatchObject({ ok: true, message: { hub: "not-joined" }, problems: [expect.stringContaining("participant"), expect.stringContaining("hub")] });
  const noHub = welcome({});
  expect(noHub).toMatchObject({ ok: true, problems: [], message: { hub: "not-joined", participant: "bob" } });
  if (noHub.ok) expect(noHub.message).not.toHaveProperty("linkControlUrl");
  expect(welcome({ hub: "connected", linkControlUrl: "http://127.0.0.1:7501" })).toMatchObject({ ok: true, problems: [], message: { linkControlUrl: "http://127.0.0.1:7501" } });
  const badLink = welcome({ hub: "connected", linkControlUrl: "javascript:alert(1)" });
  expect(badLink).toMatchObject({ ok: true, problems: [expect.stringContaining("linkControlUrl")] });
  if (badLink.ok) expect(badLink.message).not.toHaveProperty("linkControlUrl");
});
