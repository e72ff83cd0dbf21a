/**
 * Baseline: a bare Connect server on HTTP/2 cleartext (node:http2, as the price calculator) serving
 * PriceCalculatorService with a constant answer: no interceptors, no catalog, no logs. The ceiling for GetPrice.
 * `bun bare-grpc.ts <port>`; prints "ready" once listening.
 */
import { createServer } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { GetPriceResponseSchema, PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";

const answer = create(GetPriceResponseSchema, { price: 4560n, currencyCode: "GBP", breakdown: { basePrice: 19500n, ageYears: 11, retainedBasisPoints: 2340 } });
const handler = connectNodeAdapter({ routes: (router) => router.service(PriceCalculatorService, { getPrice: async () => answer }) });
createServer(handler).listen(Number(process.argv[2]), "127.0.0.1", () => console.log("ready"));
