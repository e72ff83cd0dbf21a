#!/usr/bin/env python3
"""A tiny grpcurl: lists and calls a server's services knowing nothing but what gRPC server reflection tells it.

    python3 clients/python/reflect.py --target 127.0.0.1:50051 list
    python3 clients/python/reflect.py --target 127.0.0.1:50051 call forecourt.pricing.v1.PriceCalculatorService/GetPrice \\
        '{"modelCode":"ford-fiesta","color":"Blue","year":2015}'

Uses the stubs generated from proto/grpc/reflection (grpcio's own grpc_reflection package is not needed).
"""
import argparse
import json
import sys

import forecourt_grpc  # noqa: F401  (puts gen/ on the import path)
import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

from grpc.reflection.v1 import reflection_pb2 as v1, reflection_pb2_grpc as v1_grpc
from grpc.reflection.v1alpha import reflection_pb2 as v1alpha, reflection_pb2_grpc as v1alpha_grpc


class Reflection:
    def __init__(self, channel: grpc.Channel, alpha: bool):
        self.pb, stub = (v1alpha, v1alpha_grpc) if alpha else (v1, v1_grpc)
        self.stub = stub.ServerReflectionStub(channel)

    def ask(self, **request):
        # Read the stream to its end, so the server sees a clean close rather than a cancel.
        [answer] = list(self.stub.ServerReflectionInfo(iter([self.pb.ServerReflectionRequest(**request)]), timeout=5))
        if answer.HasField("error_response"):
            raise LookupError(f"{answer.error_response.error_code}: {answer.error_response.error_message}")
        return answer

    def services(self):
        return [s.name for s in self.ask(list_services="").list_services_response.service]

    def pool_for(self, symbol: str) -> descriptor_pool.DescriptorPool:
        files = [descriptor_pb2.FileDescriptorProto.FromString(raw) for raw in self.ask(file_containing_symbol=symbol).file_descriptor_response.file_descriptor_proto]
        pool = descriptor_pool.DescriptorPool()
        added = set()
        while len(added) < len(files):  # dependencies first, in whatever order the server sent them
            ready = [f for f in files if f.name not in added and all(d in added for d in f.dependency)]
            if not ready:
                raise LookupError(f"the server's descriptors for {symbol} do not include all their imports")
            for f in ready:
                pool.Add(f)
                added.add(f.name)
        return pool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--v1alpha", action="store_true", help="use grpc.reflection.v1alpha instead of v1")
    parser.add_argument("--traceparent")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print every service name, one a line")
    call = sub.add_parser("call", help="call a unary method with a JSON request; prints the JSON answer")
    call.add_argument("method", help="package.Service/Method")
    call.add_argument("request", help="request message as protobuf JSON")
    args = parser.parse_args()

    with grpc.insecure_channel(args.target) as channel:
        reflection = Reflection(channel, args.v1alpha)
        try:
            if args.command == "list":
                print("\n".join(reflection.services()))
                return 0
            service_name, method_name = args.method.split("/")
            pool = reflection.pool_for(service_name)
            method = pool.FindServiceByName(service_name).FindMethodByName(method_name)
            factory = message_factory.MessageFactory(pool)
            request_class = factory.GetPrototype(method.input_type)
            response_class = factory.GetPrototype(method.output_type)
            rpc = channel.unary_unary(f"/{service_name}/{method_name}", request_serializer=request_class.SerializeToString, response_deserializer=response_class.FromString)
            metadata = [("traceparent", args.traceparent)] if args.traceparent else None
            answer = rpc(json_format.Parse(args.request, request_class()), timeout=5, metadata=metadata)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
            return 1
        except (LookupError, KeyError) as error:
            print(f"reflection: {error}", file=sys.stderr)
            return 1
    print(json_format.MessageToJson(answer, indent=None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
