/**
 * Wire-contract checks for the generated descriptors in gen/.
 *
 * Each table row restates a fact from the upstream .proto files (containerd api/,
 * kubernetes/cri-api, grpc/grpc-proto): RPC paths and streaming kinds, and every field of
 * the messages real clients exchange with us (name, number, type). If someone edits a
 * .proto in proto/ and regenerates, these tests fail unless the upstream wire format is kept.
 */
import {
  Introspection,
  PluginSchema,
  ServerResponseSchema,
} from '../../gen/services/introspection/v1/introspection_pb.js';
import {
  ServerReflection as ReflectionV1,
  ServerReflectionRequestSchema,
  ServerReflectionResponseSchema,
} from '../../gen/grpc/reflection/v1/reflection_pb.js';
import { ServerReflection as ReflectionV1Alpha } from '../../gen/grpc/reflection/v1alpha/reflection_pb.js';
import {
  create,
  fromBinary,
  getOption,
  ScalarType,
  toBinary,
  type DescField,
  type DescMessage,
  type DescService,
  type MessageInitShape,
} from '@bufbuild/protobuf';

import { ContentCreateSchema, ContentDeleteSchema, file_events_content } from '../../gen/events/content_pb.js';
import {
  file_events_image,
  ImageCreateSchema,
  ImageDeleteSchema,
  ImageUpdateSchema,
} from '../../gen/events/image_pb.js';
import {
  file_events_namespace,
  NamespaceCreateSchema,
  NamespaceDeleteSchema,
  NamespaceUpdateSchema,
} from '../../gen/events/namespace_pb.js';
import {
  Health,
  HealthCheckResponse_ServingStatus,
  HealthCheckResponseSchema,
  HealthListResponseSchema,
} from '../../gen/grpc/health/v1/health_pb.js';
import {
  AuthConfigSchema,
  FilesystemUsageSchema,
  ImageFilterSchema,
  ImageFsInfoResponseSchema,
  ImageSchema as CriImageSchema,
  ImageService,
  ImageSpecSchema,
  ImageStatusRequestSchema,
  ImageStatusResponseSchema,
  Int64ValueSchema,
  ListImagesResponseSchema as CriListImagesResponseSchema,
  PodSandboxConfigSchema,
  PullImageRequestSchema,
  PullImageResponseSchema,
  RemoveImageRequestSchema,
  SecurityProfile_ProfileType,
  StreamImagesRequestSchema,
  StreamImagesResponseSchema,
  SupplementalGroupsPolicy,
  UInt64ValueSchema,
} from '../../gen/runtime/v1/api_pb.js';
import {
  AbortRequestSchema,
  Content,
  InfoSchema,
  ReadContentRequestSchema,
  ReadContentResponseSchema,
  StatusSchema,
  UpdateRequestSchema as ContentUpdateRequestSchema,
  WriteAction,
  WriteContentRequestSchema,
  WriteContentResponseSchema,
} from '../../gen/services/content/v1/content_pb.js';
import {
  Events,
  ForwardRequestSchema,
  PublishRequestSchema,
  SubscribeRequestSchema,
} from '../../gen/services/events/v1/events_pb.js';
import {
  CreateImageRequestSchema,
  DeleteImageRequestSchema,
  file_services_images_v1_images,
  GetImageRequestSchema,
  ImageSchema,
  Images,
  ListImagesRequestSchema,
  ListImagesResponseSchema,
  UpdateImageRequestSchema,
} from '../../gen/services/images/v1/images_pb.js';
import {
  AddResourceRequestSchema,
  CreateRequestSchema as LeaseCreateRequestSchema,
  DeleteRequestSchema as LeaseDeleteRequestSchema,
  Leases,
  LeaseSchema,
  ResourceSchema,
} from '../../gen/services/leases/v1/leases_pb.js';
import {
  ListNamespacesRequestSchema,
  Namespaces,
  NamespaceSchema,
  UpdateNamespaceRequestSchema,
} from '../../gen/services/namespaces/v1/namespace_pb.js';
import { Version, VersionResponseSchema } from '../../gen/services/version/v1/version_pb.js';
import { DescriptorSchema } from '../../gen/types/descriptor_pb.js';
import { EnvelopeSchema, file_types_event } from '../../gen/types/event_pb.js';
import { fieldpath, fieldpath_all, file_types_fieldpath } from '../../gen/types/fieldpath_pb.js';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Type of a single value: "string", "int64", "containerd.types.Descriptor", "enum runtime.v1.Protocol". */
function valueType(kind: { scalar?: ScalarType; message?: DescMessage; enumName?: string }): string {
  if (kind.message) return kind.message.typeName;
  if (kind.enumName !== undefined) return `enum ${kind.enumName}`;
  if (kind.scalar !== undefined) return ScalarType[kind.scalar].toLowerCase();
  throw new Error('field has no type');
}

/** Proto-like rendering of a field's wire type, e.g. "map<string, string>", "repeated string", "optional containerd.types.Descriptor". */
function fieldType(f: DescField): string {
  switch (f.fieldKind) {
    case 'scalar':
      return `${f.proto.proto3Optional ? 'optional ' : ''}${valueType({ scalar: f.scalar })}`;
    case 'enum':
      return `${f.proto.proto3Optional ? 'optional ' : ''}${valueType({ enumName: f.enum.typeName })}`;
    case 'message':
      return `${f.proto.proto3Optional ? 'optional ' : ''}${valueType({ message: f.message })}`;
    case 'list':
      switch (f.listKind) {
        case 'scalar':
          return `repeated ${valueType({ scalar: f.scalar })}`;
        case 'enum':
          return `repeated ${valueType({ enumName: f.enum.typeName })}`;
        case 'message':
          return `repeated ${valueType({ message: f.message })}`;
      }
      break;
    case 'map': {
      const key = valueType({ scalar: f.mapKey });
      switch (f.mapKind) {
        case 'scalar':
          return `map<${key}, ${valueType({ scalar: f.scalar })}>`;
        case 'enum':
          return `map<${key}, ${valueType({ enumName: f.enum.typeName })}>`;
        case 'message':
          return `map<${key}, ${valueType({ message: f.message })}>`;
      }
    }
  }
  throw new Error('unhandled field kind');
}

/** "name = N: type" for every field of a message, in field-number order. */
/** Value names and numbers of an enum-typed field. */
function enumValues(f: DescField | undefined): Array<[string, number]> {
  if (f?.fieldKind !== 'enum') throw new Error(`${f?.name ?? 'field'} is not an enum field`);
  return f.enum.values.map((v) => [v.name, v.number]);
}

const fieldTable = (m: DescMessage): string[] =>
  [...m.fields].sort((a, b) => a.number - b.number).map((f) => `${f.name} = ${f.number}: ${fieldType(f)}`);

const TS = 'google.protobuf.Timestamp';
const DESC = 'containerd.types.Descriptor';

// ---------------------------------------------------------------------------------------------
// Services: full method paths, streaming kinds, request/response types
// ---------------------------------------------------------------------------------------------

type Kind = DescService['methods'][number]['methodKind'];
type MethodRow = [path: string, kind: Kind, input: string, output: string];

const EMPTY = 'google.protobuf.Empty';
const IMG = 'containerd.services.images.v1';
const CNT = 'containerd.services.content.v1';
const LSE = 'containerd.services.leases.v1';
const EVT = 'containerd.services.events.v1';
const NS = 'containerd.services.namespaces.v1';
const CRI = 'runtime.v1';
const HLT = 'grpc.health.v1';
const ISP = 'containerd.services.introspection.v1';

const services: Array<[service: DescService, methods: MethodRow[]]> = [
  [
    Images,
    [
      [`/${IMG}.Images/Get`, 'unary', `${IMG}.GetImageRequest`, `${IMG}.GetImageResponse`],
      [`/${IMG}.Images/List`, 'unary', `${IMG}.ListImagesRequest`, `${IMG}.ListImagesResponse`],
      [`/${IMG}.Images/Create`, 'unary', `${IMG}.CreateImageRequest`, `${IMG}.CreateImageResponse`],
      [`/${IMG}.Images/Update`, 'unary', `${IMG}.UpdateImageRequest`, `${IMG}.UpdateImageResponse`],
      [`/${IMG}.Images/Delete`, 'unary', `${IMG}.DeleteImageRequest`, EMPTY],
    ],
  ],
  [
    Content,
    [
      [`/${CNT}.Content/Info`, 'unary', `${CNT}.InfoRequest`, `${CNT}.InfoResponse`],
      [`/${CNT}.Content/Update`, 'unary', `${CNT}.UpdateRequest`, `${CNT}.UpdateResponse`],
      [`/${CNT}.Content/List`, 'server_streaming', `${CNT}.ListContentRequest`, `${CNT}.ListContentResponse`],
      [`/${CNT}.Content/Delete`, 'unary', `${CNT}.DeleteContentRequest`, EMPTY],
      [`/${CNT}.Content/Read`, 'server_streaming', `${CNT}.ReadContentRequest`, `${CNT}.ReadContentResponse`],
      [`/${CNT}.Content/Status`, 'unary', `${CNT}.StatusRequest`, `${CNT}.StatusResponse`],
      [`/${CNT}.Content/ListStatuses`, 'unary', `${CNT}.ListStatusesRequest`, `${CNT}.ListStatusesResponse`],
      [`/${CNT}.Content/Write`, 'bidi_streaming', `${CNT}.WriteContentRequest`, `${CNT}.WriteContentResponse`],
      [`/${CNT}.Content/Abort`, 'unary', `${CNT}.AbortRequest`, EMPTY],
    ],
  ],
  [
    Leases,
    [
      [`/${LSE}.Leases/Create`, 'unary', `${LSE}.CreateRequest`, `${LSE}.CreateResponse`],
      [`/${LSE}.Leases/Delete`, 'unary', `${LSE}.DeleteRequest`, EMPTY],
      [`/${LSE}.Leases/List`, 'unary', `${LSE}.ListRequest`, `${LSE}.ListResponse`],
      [`/${LSE}.Leases/AddResource`, 'unary', `${LSE}.AddResourceRequest`, EMPTY],
      [`/${LSE}.Leases/DeleteResource`, 'unary', `${LSE}.DeleteResourceRequest`, EMPTY],
      [`/${LSE}.Leases/ListResources`, 'unary', `${LSE}.ListResourcesRequest`, `${LSE}.ListResourcesResponse`],
    ],
  ],
  [
    Events,
    [
      [`/${EVT}.Events/Publish`, 'unary', `${EVT}.PublishRequest`, EMPTY],
      [`/${EVT}.Events/Forward`, 'unary', `${EVT}.ForwardRequest`, EMPTY],
      [`/${EVT}.Events/Subscribe`, 'server_streaming', `${EVT}.SubscribeRequest`, 'containerd.types.Envelope'],
    ],
  ],
  [
    Namespaces,
    [
      [`/${NS}.Namespaces/Get`, 'unary', `${NS}.GetNamespaceRequest`, `${NS}.GetNamespaceResponse`],
      [`/${NS}.Namespaces/List`, 'unary', `${NS}.ListNamespacesRequest`, `${NS}.ListNamespacesResponse`],
      [`/${NS}.Namespaces/Create`, 'unary', `${NS}.CreateNamespaceRequest`, `${NS}.CreateNamespaceResponse`],
      [`/${NS}.Namespaces/Update`, 'unary', `${NS}.UpdateNamespaceRequest`, `${NS}.UpdateNamespaceResponse`],
      [`/${NS}.Namespaces/Delete`, 'unary', `${NS}.DeleteNamespaceRequest`, EMPTY],
    ],
  ],
  [
    Version,
    [
      [
        '/containerd.services.version.v1.Version/Version',
        'unary',
        EMPTY,
        'containerd.services.version.v1.VersionResponse',
      ],
    ],
  ],
  [
    ImageService,
    [
      [`/${CRI}.ImageService/ListImages`, 'unary', `${CRI}.ListImagesRequest`, `${CRI}.ListImagesResponse`],
      [
        `/${CRI}.ImageService/StreamImages`,
        'server_streaming',
        `${CRI}.StreamImagesRequest`,
        `${CRI}.StreamImagesResponse`,
      ],
      [`/${CRI}.ImageService/ImageStatus`, 'unary', `${CRI}.ImageStatusRequest`, `${CRI}.ImageStatusResponse`],
      [`/${CRI}.ImageService/PullImage`, 'unary', `${CRI}.PullImageRequest`, `${CRI}.PullImageResponse`],
      [`/${CRI}.ImageService/RemoveImage`, 'unary', `${CRI}.RemoveImageRequest`, `${CRI}.RemoveImageResponse`],
      [`/${CRI}.ImageService/ImageFsInfo`, 'unary', `${CRI}.ImageFsInfoRequest`, `${CRI}.ImageFsInfoResponse`],
    ],
  ],
  [
    Health,
    [
      [`/${HLT}.Health/Check`, 'unary', `${HLT}.HealthCheckRequest`, `${HLT}.HealthCheckResponse`],
      [`/${HLT}.Health/List`, 'unary', `${HLT}.HealthListRequest`, `${HLT}.HealthListResponse`],
      [`/${HLT}.Health/Watch`, 'server_streaming', `${HLT}.HealthCheckRequest`, `${HLT}.HealthCheckResponse`],
    ],
  ],
  [
    Introspection,
    [
      [`/${ISP}.Introspection/Plugins`, 'unary', `${ISP}.PluginsRequest`, `${ISP}.PluginsResponse`],
      [`/${ISP}.Introspection/Server`, 'unary', 'google.protobuf.Empty', `${ISP}.ServerResponse`],
      [`/${ISP}.Introspection/PluginInfo`, 'unary', `${ISP}.PluginInfoRequest`, `${ISP}.PluginInfoResponse`],
    ],
  ],
  ...[ReflectionV1, ReflectionV1Alpha].map(
    (svc) =>
      [
        svc,
        [
          [
            `/${svc.typeName}/ServerReflectionInfo`,
            'bidi_streaming',
            `${svc.file.proto.package}.ServerReflectionRequest`,
            `${svc.file.proto.package}.ServerReflectionResponse`,
          ],
        ],
      ] as (typeof services)[number],
  ),
];

describe('services', () => {
  test.each(services.map(([svc, rows]) => [svc.typeName, svc, rows] as const))(
    '%s has exactly the upstream methods',
    (_name, svc, rows) => {
      const actual = svc.methods.map((m) => `/${svc.typeName}/${m.name}`);
      expect(actual).toEqual(rows.map(([path]) => path));
    },
  );

  const methodRows = services.flatMap(([svc, rows]) =>
    rows.map(([path, kind, input, output]): [string, Kind, string, string, DescService] => [path, kind, input, output, svc]),
  );
  test.each(methodRows)('%s is %s, %s -> %s', (path, kind, input, output, svc) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const method = svc.methods.find((m) => m.name === name);
    expect(method).toBeDefined();
    expect(`/${svc.typeName}/${method?.name}`).toBe(path);
    expect(method?.methodKind).toBe(kind);
    expect(method?.input.typeName).toBe(input);
    expect(method?.output.typeName).toBe(output);
  });
});

// ---------------------------------------------------------------------------------------------
// Messages: the complete field table of every message the clients exercise
// ---------------------------------------------------------------------------------------------

const messages: Array<[schema: DescMessage, fields: string[]]> = [
  // containerd.types
  [
    DescriptorSchema,
    ['media_type = 1: string', 'digest = 2: string', 'size = 3: int64', 'annotations = 5: map<string, string>'],
  ],
  [
    EnvelopeSchema,
    [`timestamp = 1: ${TS}`, 'namespace = 2: string', 'topic = 3: string', 'event = 4: google.protobuf.Any'],
  ],
  // Images
  [
    ImageSchema,
    [
      'name = 1: string',
      'labels = 2: map<string, string>',
      `target = 3: ${DESC}`,
      `created_at = 7: ${TS}`,
      `updated_at = 8: ${TS}`,
    ],
  ],
  [GetImageRequestSchema, ['name = 1: string']],
  [ListImagesRequestSchema, ['filters = 1: repeated string']],
  [ListImagesResponseSchema, [`images = 1: repeated ${IMG}.Image`]],
  [CreateImageRequestSchema, [`image = 1: ${IMG}.Image`, `source_date_epoch = 2: ${TS}`]],
  [
    UpdateImageRequestSchema,
    [`image = 1: ${IMG}.Image`, 'update_mask = 2: google.protobuf.FieldMask', `source_date_epoch = 3: ${TS}`],
  ],
  [DeleteImageRequestSchema, ['name = 1: string', 'sync = 2: bool', `target = 3: optional ${DESC}`]],
  // Image events (package containerd.services.images.v1, not containerd.events)
  [ImageCreateSchema, ['name = 1: string', 'labels = 2: map<string, string>']],
  [ImageUpdateSchema, ['name = 1: string', 'labels = 2: map<string, string>']],
  [ImageDeleteSchema, ['name = 1: string']],
  [ContentCreateSchema, ['digest = 1: string', 'size = 2: int64']],
  [ContentDeleteSchema, ['digest = 1: string']],
  [NamespaceCreateSchema, ['name = 1: string', 'labels = 2: map<string, string>']],
  [NamespaceUpdateSchema, ['name = 1: string', 'labels = 2: map<string, string>']],
  [NamespaceDeleteSchema, ['name = 1: string']],
  // Content
  [
    InfoSchema,
    [
      'digest = 1: string',
      'size = 2: int64',
      `created_at = 3: ${TS}`,
      `updated_at = 4: ${TS}`,
      'labels = 5: map<string, string>',
    ],
  ],
  [ContentUpdateRequestSchema, [`info = 1: ${CNT}.Info`, 'update_mask = 2: google.protobuf.FieldMask']],
  [ReadContentRequestSchema, ['digest = 1: string', 'offset = 2: int64', 'size = 3: int64']],
  [ReadContentResponseSchema, ['offset = 1: int64', 'data = 2: bytes']],
  [
    StatusSchema,
    [
      `started_at = 1: ${TS}`,
      `updated_at = 2: ${TS}`,
      'ref = 3: string',
      'offset = 4: int64',
      'total = 5: int64',
      'expected = 6: string',
    ],
  ],
  [
    WriteContentRequestSchema,
    [
      `action = 1: enum ${CNT}.WriteAction`,
      'ref = 2: string',
      'total = 3: int64',
      'expected = 4: string',
      'offset = 5: int64',
      'data = 6: bytes',
      'labels = 7: map<string, string>',
    ],
  ],
  [
    WriteContentResponseSchema,
    [
      `action = 1: enum ${CNT}.WriteAction`,
      `started_at = 2: ${TS}`,
      `updated_at = 3: ${TS}`,
      'offset = 4: int64',
      'total = 5: int64',
      'digest = 6: string',
    ],
  ],
  [AbortRequestSchema, ['ref = 1: string']],
  // Leases
  [LeaseSchema, ['id = 1: string', `created_at = 2: ${TS}`, 'labels = 3: map<string, string>']],
  [LeaseCreateRequestSchema, ['id = 1: string', 'labels = 3: map<string, string>']],
  [LeaseDeleteRequestSchema, ['id = 1: string', 'sync = 2: bool']],
  [ResourceSchema, ['id = 1: string', 'type = 2: string']],
  [AddResourceRequestSchema, ['id = 1: string', `resource = 2: ${LSE}.Resource`]],
  // Events service
  [PublishRequestSchema, ['topic = 1: string', 'event = 2: google.protobuf.Any']],
  [ForwardRequestSchema, ['envelope = 1: containerd.types.Envelope']],
  [SubscribeRequestSchema, ['filters = 1: repeated string']],
  // Namespaces, version
  [NamespaceSchema, ['name = 1: string', 'labels = 2: map<string, string>']],
  [ListNamespacesRequestSchema, ['filter = 1: string']],
  [UpdateNamespaceRequestSchema, [`namespace = 1: ${NS}.Namespace`, 'update_mask = 2: google.protobuf.FieldMask']],
  [VersionResponseSchema, ['version = 1: string', 'revision = 2: string']],
  // CRI
  [
    ImageSpecSchema,
    [
      'image = 1: string',
      'annotations = 2: map<string, string>',
      'user_specified_image = 18: string',
      'runtime_handler = 19: string',
      'image_ref = 20: string',
    ],
  ],
  [ImageFilterSchema, [`image = 1: ${CRI}.ImageSpec`]],
  [
    CriImageSchema,
    [
      'id = 1: string',
      'repo_tags = 2: repeated string',
      'repo_digests = 3: repeated string',
      'size = 4: uint64',
      `uid = 5: ${CRI}.Int64Value`,
      'username = 6: string',
      `spec = 7: ${CRI}.ImageSpec`,
      'pinned = 8: bool',
    ],
  ],
  [Int64ValueSchema, ['value = 1: int64']],
  [UInt64ValueSchema, ['value = 1: uint64']],
  [CriListImagesResponseSchema, [`images = 1: repeated ${CRI}.Image`]],
  [StreamImagesRequestSchema, [`filter = 1: ${CRI}.ImageFilter`]],
  [StreamImagesResponseSchema, [`images = 1: repeated ${CRI}.Image`]],
  [ImageStatusRequestSchema, [`image = 1: ${CRI}.ImageSpec`, 'verbose = 2: bool']],
  [ImageStatusResponseSchema, [`image = 1: ${CRI}.Image`, 'info = 2: map<string, string>']],
  [
    AuthConfigSchema,
    [
      'username = 1: string',
      'password = 2: string',
      'auth = 3: string',
      'server_address = 4: string',
      'identity_token = 5: string',
      'registry_token = 6: string',
    ],
  ],
  [
    PullImageRequestSchema,
    [`image = 1: ${CRI}.ImageSpec`, `auth = 2: ${CRI}.AuthConfig`, `sandbox_config = 3: ${CRI}.PodSandboxConfig`],
  ],
  [PullImageResponseSchema, ['image_ref = 1: string']],
  [RemoveImageRequestSchema, [`image = 1: ${CRI}.ImageSpec`]],
  [
    PodSandboxConfigSchema,
    [
      `metadata = 1: ${CRI}.PodSandboxMetadata`,
      'hostname = 2: string',
      'log_directory = 3: string',
      `dns_config = 4: ${CRI}.DNSConfig`,
      `port_mappings = 5: repeated ${CRI}.PortMapping`,
      'labels = 6: map<string, string>',
      'annotations = 7: map<string, string>',
      `linux = 8: ${CRI}.LinuxPodSandboxConfig`,
      `windows = 9: ${CRI}.WindowsPodSandboxConfig`,
    ],
  ],
  [
    FilesystemUsageSchema,
    [
      'timestamp = 1: int64',
      `fs_id = 2: ${CRI}.FilesystemIdentifier`,
      `used_bytes = 3: ${CRI}.UInt64Value`,
      `inodes_used = 4: ${CRI}.UInt64Value`,
    ],
  ],
  [
    ImageFsInfoResponseSchema,
    [
      `image_filesystems = 1: repeated ${CRI}.FilesystemUsage`,
      `container_filesystems = 2: repeated ${CRI}.FilesystemUsage`,
    ],
  ],
  // Health
  [HealthCheckResponseSchema, [`status = 1: enum ${HLT}.HealthCheckResponse.ServingStatus`]],
  [HealthListResponseSchema, [`statuses = 1: map<string, ${HLT}.HealthCheckResponse>`]],
  // Introspection (ctr version, ctr plugins)
  [ServerResponseSchema, ['uuid = 1: string', 'pid = 2: uint64', 'pidns = 3: uint64', `deprecations = 4: repeated ${ISP}.DeprecationWarning`]],
  [
    PluginSchema,
    [
      'type = 1: string',
      'id = 2: string',
      'requires = 3: repeated string',
      'platforms = 4: repeated containerd.types.Platform',
      'exports = 5: map<string, string>',
      'capabilities = 6: repeated string',
      'init_err = 7: google.rpc.Status',
    ],
  ],
  // Reflection (grpcurl, buf curl)
  [
    ServerReflectionRequestSchema,
    [
      'host = 1: string',
      'file_by_filename = 3: string',
      'file_containing_symbol = 4: string',
      'file_containing_extension = 5: grpc.reflection.v1.ExtensionRequest',
      'all_extension_numbers_of_type = 6: string',
      'list_services = 7: string',
    ],
  ],
  [
    ServerReflectionResponseSchema,
    [
      'valid_host = 1: string',
      'original_request = 2: grpc.reflection.v1.ServerReflectionRequest',
      'file_descriptor_response = 4: grpc.reflection.v1.FileDescriptorResponse',
      'all_extension_numbers_response = 5: grpc.reflection.v1.ExtensionNumberResponse',
      'list_services_response = 6: grpc.reflection.v1.ListServiceResponse',
      'error_response = 7: grpc.reflection.v1.ErrorResponse',
    ],
  ],
];

describe('message field tables', () => {
  test.each(messages.map(([schema, fields]) => [schema.typeName, schema, fields] as const))(
    '%s',
    (_name, schema, fields) => {
      expect(fieldTable(schema)).toEqual(fields);
    },
  );
});

describe('enums', () => {
  test.each([
    [`${CNT}.WriteAction`, WriteContentRequestSchema.field.action, { STAT: 0, WRITE: 1, COMMIT: 2 }],
    [
      `${HLT}.HealthCheckResponse.ServingStatus`,
      HealthCheckResponseSchema.field.status,
      { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 },
    ],
  ] as const)('%s values', (_name, field, values) => {
    expect(enumValues(field)).toEqual(Object.entries(values));
  });

  test('generated TypeScript enums carry the upstream numbers', () => {
    expect([WriteAction.STAT, WriteAction.WRITE, WriteAction.COMMIT]).toEqual([0, 1, 2]);
    expect(HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN).toBe(3);
    expect([SupplementalGroupsPolicy.Merge, SupplementalGroupsPolicy.Strict]).toEqual([0, 1]);
    expect(SecurityProfile_ProfileType.Localhost).toBe(2);
  });
});

describe('options', () => {
  test('containerd fieldpath extensions use upstream names and numbers', () => {
    expect([fieldpath_all.typeName, fieldpath_all.number, fieldpath_all.extendee.typeName]).toEqual([
      'containerd.types.fieldpath_all',
      63300,
      'google.protobuf.FileOptions',
    ]);
    expect([fieldpath.typeName, fieldpath.number, fieldpath.extendee.typeName]).toEqual([
      'containerd.types.fieldpath',
      64400,
      'google.protobuf.MessageOptions',
    ]);
    expect(file_types_fieldpath.name).toBe('types/fieldpath');
  });

  test.each([file_events_image, file_events_content, file_events_namespace])(
    'event file $name sets (containerd.types.fieldpath_all) = true',
    (file) => {
      expect(getOption(file, fieldpath_all)).toBe(true);
    },
  );

  test('Envelope sets (containerd.types.fieldpath) = true', () => {
    expect(getOption(EnvelopeSchema, fieldpath)).toBe(true);
    expect(file_types_event.messages).toContain(EnvelopeSchema);
  });

  test('image events live in the images service package (their Any type URLs depend on it)', () => {
    expect(file_events_image.proto.package).toBe('containerd.services.images.v1');
    expect(file_services_images_v1_images.proto.package).toBe('containerd.services.images.v1');
    expect(file_events_content.proto.package).toBe('containerd.events');
  });

  test('AuthConfig secrets are debug_redact, the rest are not', () => {
    const redacted = AuthConfigSchema.fields.filter((f) => f.proto.options?.debugRedact === true).map((f) => f.name);
    expect(redacted).toEqual(['password', 'auth', 'identity_token', 'registry_token']);
  });

  test('CRI enums keep their upstream (non-prefixed) value names', () => {
    const portMappings = PodSandboxConfigSchema.field.portMappings;
    if (portMappings?.fieldKind !== 'list' || portMappings.listKind !== 'message') throw new Error('port_mappings');
    expect(enumValues(portMappings.message.field['protocol'])).toEqual([
      ['TCP', 0],
      ['UDP', 1],
      ['SCTP', 2],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Bytes on the wire
// ---------------------------------------------------------------------------------------------

/** A message with exactly one field set, and the exact bytes upstream's Go code emits for it. */
type WireCase<Desc extends DescMessage = DescMessage> = [
  what: string,
  schema: Desc,
  init: MessageInitShape<Desc>,
  bytes: number[],
];
const wire = <Desc extends DescMessage>(...c: WireCase<Desc>): WireCase => c as unknown as WireCase;
const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];

const wireCases: WireCase[] = [
  // tag = (field_number << 3) | wire_type; 0 = varint, 2 = length-delimited
  wire('Descriptor.size = 3 (varint)', DescriptorSchema, { size: 5n }, [0x18, 0x05]),
  wire('Descriptor.annotations = 5 (map entry)', DescriptorSchema, { annotations: { k: 'v' } }, [
    0x2a, 0x06, 0x0a, 0x01, ...utf8('k'), 0x12, 0x01, ...utf8('v'),
  ]),
  wire('Image.created_at = 7', ImageSchema, { createdAt: { seconds: 1n } }, [0x3a, 0x02, 0x08, 0x01]),
  wire('DeleteImageRequest.sync = 2', DeleteImageRequestSchema, { sync: true }, [0x10, 0x01]),
  // proto3 optional message: presence is sent even when the descriptor is empty
  wire('DeleteImageRequest.target = 3 (optional, empty)', DeleteImageRequestSchema, { target: {} }, [0x1a, 0x00]),
  wire('CreateImageRequest.source_date_epoch = 2', CreateImageRequestSchema, { sourceDateEpoch: { seconds: 1n } }, [
    0x12, 0x02, 0x08, 0x01,
  ]),
  wire('UpdateImageRequest.source_date_epoch = 3', UpdateImageRequestSchema, { sourceDateEpoch: { nanos: 1 } }, [
    0x1a, 0x02, 0x10, 0x01,
  ]),
  wire('Envelope.topic = 3', EnvelopeSchema, { topic: '/images/create' }, [0x1a, 0x0e, ...utf8('/images/create')]),
  wire('WriteContentRequest.action = COMMIT', WriteContentRequestSchema, { action: WriteAction.COMMIT }, [0x08, 0x02]),
  wire('WriteContentRequest.labels = 7', WriteContentRequestSchema, { labels: { a: 'b' } }, [
    0x3a, 0x06, 0x0a, 0x01, ...utf8('a'), 0x12, 0x01, ...utf8('b'),
  ]),
  wire('WriteContentResponse.digest = 6', WriteContentResponseSchema, { digest: 'x' }, [0x32, 0x01, ...utf8('x')]),
  wire('ReadContentResponse.data = 2', ReadContentResponseSchema, { data: new Uint8Array([1, 2]) }, [0x12, 0x02, 1, 2]),
  wire('ImageCreate.labels = 2', ImageCreateSchema, { labels: { a: 'b' } }, [
    0x12, 0x06, 0x0a, 0x01, ...utf8('a'), 0x12, 0x01, ...utf8('b'),
  ]),
  wire('Lease DeleteRequest.sync = 2', LeaseDeleteRequestSchema, { sync: true }, [0x10, 0x01]),
  // field numbers >= 16 need a two-byte tag
  wire('CRI ImageSpec.user_specified_image = 18', ImageSpecSchema, { userSpecifiedImage: 'a' }, [
    0x92, 0x01, 0x01, ...utf8('a'),
  ]),
  wire('CRI ImageSpec.runtime_handler = 19', ImageSpecSchema, { runtimeHandler: 'a' }, [0x9a, 0x01, 0x01, ...utf8('a')]),
  wire('CRI ImageSpec.image_ref = 20', ImageSpecSchema, { imageRef: 'a' }, [0xa2, 0x01, 0x01, ...utf8('a')]),
  wire('CRI Image.size = 4 (uint64)', CriImageSchema, { size: 300n }, [0x20, 0xac, 0x02]),
  wire('CRI Image.pinned = 8', CriImageSchema, { pinned: true }, [0x40, 0x01]),
  wire('CRI AuthConfig.identity_token = 5', AuthConfigSchema, { identityToken: 't' }, [0x2a, 0x01, ...utf8('t')]),
  wire('CRI PullImageResponse.image_ref = 1', PullImageResponseSchema, { imageRef: 'sha256:x' }, [
    0x0a, 0x08, ...utf8('sha256:x'),
  ]),
  wire('CRI ImageFsInfoResponse.container_filesystems = 2', ImageFsInfoResponseSchema, { containerFilesystems: [{}] }, [
    0x12, 0x00,
  ]),
  wire('Health HealthCheckResponse.status = SERVING', HealthCheckResponseSchema, {
    status: HealthCheckResponse_ServingStatus.SERVING,
  }, [0x08, 0x01]),
];

describe('bytes on the wire', () => {
  test.each(wireCases)('%s', (_what, schema, init, bytes) => {
    const encoded = toBinary(schema, create(schema, init));
    expect([...encoded]).toEqual(bytes);
    // and the same bytes decode back to an equal message
    expect(toBinary(schema, fromBinary(schema, new Uint8Array(bytes)))).toEqual(encoded);
  });

  test('a full CRI PullImageRequest round-trips, with sandbox_config on tag 3', () => {
    const req = create(PullImageRequestSchema, {
      image: { image: 'docker.io/library/busybox:latest', userSpecifiedImage: 'busybox' },
      auth: { username: 'u', password: 'p' },
      sandboxConfig: {
        metadata: { name: 'pod', uid: 'uid', namespace: 'default', attempt: 1 },
        linux: { securityContext: { runAsUser: { value: 0n }, supplementalGroupsPolicy: SupplementalGroupsPolicy.Strict } },
      },
    });
    const bytes = toBinary(PullImageRequestSchema, req);
    expect(bytes[0]).toBe(0x0a); // image = 1
    expect(bytes).toContain(0x1a); // sandbox_config = 3
    const back = fromBinary(PullImageRequestSchema, bytes);
    expect(back.sandboxConfig?.metadata?.namespace).toBe('default');
    expect(back.sandboxConfig?.linux?.securityContext?.supplementalGroupsPolicy).toBe(SupplementalGroupsPolicy.Strict);
    expect(back.image?.userSpecifiedImage).toBe('busybox');
  });

  test('unknown upstream fields survive a decode/encode round trip', () => {
    // Image with field 4 (unused upstream) as an unknown varint: must be preserved, not dropped.
    const bytes = new Uint8Array([0x0a, 0x01, ...utf8('n'), 0x20, 0x07]);
    expect([...toBinary(ImageSchema, fromBinary(ImageSchema, bytes))]).toEqual([...bytes]);
  });
});
