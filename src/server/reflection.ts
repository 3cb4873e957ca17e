/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) answered from the generated protobuf-es
 * file descriptors, so grpcurl and `buf curl` work with no .proto files at hand.
 */
import { createRegistry, toBinary, type DescFile, type Registry } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { status as Code } from '@grpc/grpc-js';
import * as v1 from '../../gen/grpc/reflection/v1/reflection_pb.js';
import * as v1alpha from '../../gen/grpc/reflection/v1alpha/reflection_pb.js';
import { adaptService, type AdaptedService, type ServiceImpl, type CallObserver } from './adapter.js';

/** The request fields both reflection versions share. */
type Question = Pick<v1.ServerReflectionRequest, 'host' | 'messageRequest'>;

/** Every file of `roots` and their imports, each once, dependencies first. */
function withDependencies(roots: readonly DescFile[]): DescFile[] {
  const ordered: DescFile[] = [];
  const seen = new Set<string>();
  const visit = (file: DescFile): void => {
    if (seen.has(file.name)) return;
    seen.add(file.name);
    for (const dependency of file.dependencies) visit(dependency);
    ordered.push(file);
  };
  roots.forEach(visit);
  return ordered;
}

/** Knows the served services and every file that describes them. */
class ReflectionIndex {
  private readonly registry: Registry;
  private readonly files = new Map<string, DescFile>();
  private readonly encoded = new Map<string, Uint8Array>();

  constructor(
    files: readonly DescFile[],
    readonly serviceNames: readonly string[],
  ) {
    const all = withDependencies(files);
    this.registry = createRegistry(...all);
    for (const file of all) this.files.set(file.name, file);
  }

  /** `file` and its transitive imports, serialized, the file itself first. */
  filesFor(file: DescFile): Uint8Array[] {
    return withDependencies([file])
      .reverse()
      .map((f) => {
        let bytes = this.encoded.get(f.name);
        if (bytes === undefined) this.encoded.set(f.name, (bytes = toBinary(FileDescriptorProtoSchema, f.proto)));
        return bytes;
      });
  }

  /** The file defining `symbol` (a message, enum, service, extension, or a member of one). */
  fileOfSymbol(symbol: string): DescFile | undefined {
    for (let name = symbol; name !== ''; name = name.slice(0, Math.max(0, name.lastIndexOf('.')))) {
      const found = this.registry.get(name);
      if (found !== undefined) return found.file;
    }
    return undefined;
  }

  fileByName(name: string): DescFile | undefined {
    return this.files.get(name);
  }

  extensionsOf(typeName: string) {
    const message = this.registry.getMessage(typeName);
    if (message === undefined) return undefined;
    const numbers: number[] = [];
    for (const d of this.registry) if (d.kind === 'extension' && d.extendee.typeName === typeName) numbers.push(d.number);
    return { message, numbers };
  }

  fileOfExtension(typeName: string, number: number): DescFile | undefined {
    const message = this.registry.getMessage(typeName);
    return message === undefined ? undefined : this.registry.getExtensionFor(message, number)?.file;
  }
}

const notFound = (what: string) => ({
  case: 'errorResponse' as const,
  value: { errorCode: Code.NOT_FOUND, errorMessage: `${what} not found` },
});

/** Answers one reflection question. */
function answer(index: ReflectionIndex, question: Question) {
  const request = question.messageRequest;
  const files = (file: DescFile | undefined, what: string) =>
    file === undefined
      ? notFound(what)
      : { case: 'fileDescriptorResponse' as const, value: { fileDescriptorProto: index.filesFor(file) } };
  switch (request.case) {
    case 'listServices':
      return { case: 'listServicesResponse' as const, value: { service: index.serviceNames.map((name) => ({ name })) } };
    case 'fileByFilename':
      return files(index.fileByName(request.value), `file ${JSON.stringify(request.value)}`);
    case 'fileContainingSymbol':
      return files(index.fileOfSymbol(request.value), `symbol ${JSON.stringify(request.value)}`);
    case 'fileContainingExtension': {
      const { containingType, extensionNumber } = request.value;
      return files(index.fileOfExtension(containingType, extensionNumber), `extension ${extensionNumber} of ${containingType}`);
    }
    case 'allExtensionNumbersOfType': {
      const found = index.extensionsOf(request.value);
      if (found === undefined) return notFound(`type ${JSON.stringify(request.value)}`);
      return {
        case: 'allExtensionNumbersResponse' as const,
        value: { baseTypeName: found.message.typeName, extensionNumber: found.numbers },
      };
    }
    default:
      return { case: 'errorResponse' as const, value: { errorCode: Code.INVALID_ARGUMENT, errorMessage: 'empty reflection request' } };
  }
}

/** The handler both versions share: one answer per question, in order. */
const handlerFor = (index: ReflectionIndex) => ({
  async serverReflectionInfo(
    questions: AsyncIterable<Question & { $typeName: string }>,
    _ctx: unknown,
    send: (reply: { validHost: string; originalRequest: Question; messageResponse: ReturnType<typeof answer> }) => Promise<void>,
  ) {
    for await (const question of questions) {
      await send({ validHost: question.host, originalRequest: question, messageResponse: answer(index, question) });
    }
  },
});

/** Reflection services (v1 and v1alpha) describing `services`; `files` adds descriptors such as event types. */
export function createReflectionServices(
  services: readonly { typeName: string; file: DescFile }[],
  files: readonly DescFile[],
  observe: CallObserver,
): AdaptedService[] {
  const reflection = [v1.ServerReflection, v1alpha.ServerReflection];
  const names = [...services, ...reflection].map((s) => s.typeName).sort();
  const index = new ReflectionIndex([...services.map((s) => s.file), ...reflection.map((s) => s.file), ...files], names);
  const handler = handlerFor(index);
  return [
    adaptService(v1.ServerReflection, handler as unknown as ServiceImpl<(typeof v1.ServerReflection)['method']>, observe),
    adaptService(v1alpha.ServerReflection, handler as unknown as ServiceImpl<(typeof v1alpha.ServerReflection)['method']>, observe),
  ];
}
