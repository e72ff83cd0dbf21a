/**
 * gRPC server reflection (https://github.com/grpc/grpc/blob/master/doc/server-reflection.md), v1 and v1alpha,
 * so grpcurl and other generic clients can list the services and call them without the .proto files.
 * The descriptors are the ones embedded in the generated code, so they cannot drift from what is served.
 */
import { create, toBinary, type DescFile, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import * as v1 from "@forecourt/shared/gen/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@forecourt/shared/gen/grpc/reflection/v1alpha/reflection_pb";

type Answer = MessageInitShape<typeof v1.ServerReflectionResponseSchema>["messageResponse"];
type Question = v1.ServerReflectionRequest["messageRequest"] | v1alpha.ServerReflectionRequest["messageRequest"];

export interface Reflector {
  answer(question: Question): Answer;
}

/** Indexes the files of the given services and everything they import. */
export function createReflector(services: DescService[]): Reflector {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const extensions = new Map<string, Map<number, DescFile>>();
  const add = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    file.dependencies.forEach(add);
    for (const type of nestedTypes(file)) {
      symbols.set(type.typeName, file);
      if (type.kind === "service") for (const method of type.methods) symbols.set(`${type.typeName}.${method.name}`, file);
      if (type.kind === "extension") {
        const numbers = extensions.get(type.extendee.typeName) ?? new Map<number, DescFile>();
        extensions.set(type.extendee.typeName, numbers.set(type.number, file));
      }
    }
  };
  services.forEach((service) => add(service.file));
  const names = services.map((s) => s.typeName).sort();

  /** The file and everything it imports: clients resolve the whole graph from one answer. */
  const withDependencies = (file: DescFile): Answer => {
    const seen = new Set<string>();
    const out: Uint8Array[] = [];
    const visit = (f: DescFile) => {
      if (seen.has(f.proto.name)) return;
      seen.add(f.proto.name);
      out.push(toBinary(FileDescriptorProtoSchema, f.proto));
      f.dependencies.forEach(visit);
    };
    visit(file);
    return { case: "fileDescriptorResponse", value: { fileDescriptorProto: out } };
  };
  const notFound = (what: string): Answer => ({ case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } });

  return {
    answer(question) {
      switch (question.case) {
        case "listServices":
          return { case: "listServicesResponse", value: { service: names.map((name) => ({ name })) } };
        case "fileByFilename": {
          const file = files.get(question.value);
          return file ? withDependencies(file) : notFound(`file "${question.value}"`);
        }
        case "fileContainingSymbol": {
          const file = symbols.get(question.value.replace(/^\./, ""));
          return file ? withDependencies(file) : notFound(`symbol "${question.value}"`);
        }
        case "fileContainingExtension": {
          const file = extensions.get(question.value.containingType)?.get(question.value.extensionNumber);
          return file ? withDependencies(file) : notFound(`extension ${question.value.containingType}(${question.value.extensionNumber})`);
        }
        case "allExtensionNumbersOfType": {
          if (!symbols.has(question.value)) return notFound(`type "${question.value}"`);
          const numbers = [...(extensions.get(question.value)?.keys() ?? [])].sort((a, b) => a - b);
          return { case: "allExtensionNumbersResponse", value: { baseTypeName: question.value, extensionNumber: numbers } };
        }
        default:
          return { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } };
      }
    },
  };
}

export function createReflectionServiceV1(reflector: Reflector): ServiceImpl<typeof v1.ServerReflection> {
  return {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield create(v1.ServerReflectionResponseSchema, { validHost: request.host, originalRequest: request, messageResponse: reflector.answer(request.messageRequest) });
      }
    },
  };
}

/** The same answers under the older package name: the message shapes are identical. */
export function createReflectionServiceV1alpha(reflector: Reflector): ServiceImpl<typeof v1alpha.ServerReflection> {
  return {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        const messageResponse = reflector.answer(request.messageRequest) as MessageInitShape<typeof v1alpha.ServerReflectionResponseSchema>["messageResponse"];
        yield create(v1alpha.ServerReflectionResponseSchema, { validHost: request.host, originalRequest: request, messageResponse });
      }
    },
  };
}
