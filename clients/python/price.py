#!/usr/bin/env python3
"""Prices a car through the generated gRPC client (real gRPC over HTTP/2).

    python3 clients/python/price.py --target 127.0.0.1:50051 ford-fiesta Blue 2015
    python3 clients/python/price.py --target 127.0.0.1:50051 --health

Prints the answer as protobuf JSON on stdout; on an RPC error prints `CODE: message` on stderr and exits 1.
"""
import argparse
import sys

import forecourt_grpc  # noqa: F401  (puts gen/ on the import path)
import grpc
from google.protobuf import json_format

from forecourt.pricing.v1 import pricing_pb2, pricing_pb2_grpc
from grpc.health.v1 import health_pb2, health_pb2_grpc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051", help="host:port of the pricing app's HTTP/2 listener")
    parser.add_argument("--timeout", type=float, default=5.0, help="deadline in seconds")
    parser.add_argument("--traceparent", help="W3C traceparent to send, so the server logs the call in that trace")
    parser.add_argument("--health", action="store_true", help="ask grpc.health.v1.Health instead of pricing a car")
    parser.add_argument("model_code", nargs="?")
    parser.add_argument("color", nargs="?")
    parser.add_argument("year", nargs="?", type=int)
    args = parser.parse_args()
    metadata = [("traceparent", args.traceparent)] if args.traceparent else None

    with grpc.insecure_channel(args.target) as channel:
        try:
            if args.health:
                answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=args.timeout)
            else:
                if args.year is None:
                    parser.error("model_code, color and year are required")
                request = pricing_pb2.GetPriceRequest(model_code=args.model_code, color=args.color, year=args.year)
                answer = pricing_pb2_grpc.PriceCalculatorServiceStub(channel).GetPrice(request, timeout=args.timeout, metadata=metadata)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
            return 1
    print(json_format.MessageToJson(answer, indent=None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
