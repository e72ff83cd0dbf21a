#!/usr/bin/env python3
"""buf local plugin producing gRPC Python stubs (*_pb2_grpc.py).

Debian ships the grpc_python generator only inside python3-grpc-tools' own protoc (grpc_tools.protoc), not as
a protoc-gen-* executable, so this adapts it to the plugin protocol: the CodeGeneratorRequest's files go to
that protoc as a descriptor set, and whatever it writes comes back as the CodeGeneratorResponse.
"""
import os
import sys
import tempfile

from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2
from grpc_tools import protoc


def main() -> int:
    request = plugin_pb2.CodeGeneratorRequest.FromString(sys.stdin.buffer.read())
    response = plugin_pb2.CodeGeneratorResponse()
    with tempfile.TemporaryDirectory() as tmp:
        descriptors = os.path.join(tmp, "descriptors.pb")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        with open(descriptors, "wb") as f:
            f.write(descriptor_pb2.FileDescriptorSet(file=request.proto_file).SerializeToString())
        target = f"{request.parameter}:{out}" if request.parameter else out
        code = protoc.main(["protoc", f"--descriptor_set_in={descriptors}", f"--grpc_python_out={target}", *request.file_to_generate])
        if code != 0:
            response.error = f"grpc_tools.protoc exited {code}"
        else:
            for root, _, files in os.walk(out):
                for name in sorted(files):
                    path = os.path.join(root, name)
                    with open(path, encoding="utf-8") as f:
                        response.file.add(name=os.path.relpath(path, out), content=f.read())
    sys.stdout.buffer.write(response.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
