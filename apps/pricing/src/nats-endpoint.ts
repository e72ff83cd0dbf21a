/**
 * The price calculator as a NATS micro service endpoint: request-reply on forecourt.pricing.get-price with the
 * Connect JSON of GetPriceRequest/GetPriceResponse, for NATS-native callers (`nats req forecourt.pricing.get-price
 * '{"modelCode":"ford-fiesta","color":"Blue","year":2015}'`). Errors carry HTTP-like codes in the micro headers.
 * Every instance answers in the micro services' default queue group, so one answers each request; across a workshop
 * hub that may be another participant's, and each answer names its participant (Forecourt-Participant header).
 */
import { fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { GetPriceRequestSchema, GetPriceResponseSchema } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { PARTICIPANT_HEADER, SUBJECTS } from "@forecourt/shared/contracts";
import { extractContext, inSpan, SpanKind, type Logger, type MicroEndpoint } from "@forecourt/shared/platform";
import { headers } from "@nats-io/transport-node";
import type { PriceCalculator } from "./pricing-service.ts";
import { toConnectError } from "./rpc-interceptor.ts";

export const GET_PRICE_SUBJECT = SUBJECTS.getPrice;

const MICRO_STATUS: Partial<Record<Code, number>> = { [Code.InvalidArgument]: 400, [Code.NotFound]: 404, [Code.Unavailable]: 503 };

export function getPriceEndpoint(calculator: PriceCalculator, log: Logger, participant: string): MicroEndpoint {
  return {
    subject: GET_PRICE_SUBJECT,
    metadata: { request: "forecourt.pricing.v1.GetPriceRequest (JSON)", response: "forecourt.pricing.v1.GetPriceResponse (JSON)" },
    handler: (err, msg) => {
      if (err) return log.error("nats endpoint failed", { error: err });
      const span = { kind: SpanKind.SERVER, parent: extractContext(msg.headers), attributes: { "messaging.system": "nats", "messaging.destination.name": GET_PRICE_SUBJECT } };
      void inSpan(GET_PRICE_SUBJECT, span, async () => {
        const started = performance.now();
        try {
          let request;
          try {
            request = fromJsonString(GetPriceRequestSchema, msg.string());
          } catch {
            msg.respondError(400, "body must be a GetPriceRequest in JSON");
            return log.info("nats request", { subject: GET_PRICE_SUBJECT, code: 400 });
          }
          const response = await calculator.getPrice(request);
          const h = headers();
          h.set(PARTICIPANT_HEADER, participant);
          msg.respond(toJsonString(GetPriceResponseSchema, response), { headers: h });
          log.info("nats request", { subject: GET_PRICE_SUBJECT, code: 200, durationMs: Math.round(performance.now() - started) });
        } catch (error) {
          const connectError = toConnectError(error);
          const status = MICRO_STATUS[connectError.code] ?? 500;
          msg.respondError(status, connectError.rawMessage);
          if (status === 500) log.error("nats request", { subject: GET_PRICE_SUBJECT, code: status, error });
          else log.info("nats request", { subject: GET_PRICE_SUBJECT, code: status, reason: connectError.rawMessage });
        }
      });
    },
  };
}
