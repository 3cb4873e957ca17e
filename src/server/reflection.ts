/**
 * gRPC server reflection (v1 and v1alpha) built from the generated protobuf-es file descriptors,
 * so grpcurl and `buf curl` work without .proto files.
 */
import { toBinary, type DescFile } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { ReflectionService } from '@grpc/reflection';
import type { Server } from '@grpc/grpc-js';

/** Every file of `roots` and their imports, each once, dependencies before dependents. */
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

/** Adds the reflection services describing the services defined in `files` to `server`. */
export function addReflection(server: Server, files: readonly DescFile[]): void {
  const fileDescriptorProtos = withDependencies(files).map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
  const definition = { imaged: { fileDescriptorProtos } };
  new ReflectionService(definition as unknown as ConstructorParameters<typeof ReflectionService>[0]).addToServer(server);
}
