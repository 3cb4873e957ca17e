/** The imagectl command line: commands, options, and exit codes (0 ok, 1 failed, 2 usage). */
import { Command, CommanderError, Option } from 'commander';
import { imagesList } from './commands/images-list.js';
import { inspect } from './commands/inspect.js';
import { remove } from './commands/remove.js';
import { tag } from './commands/tag.js';
import { label } from './commands/label.js';
import { contentGet, contentList, contentRemove } from './commands/content.js';
import { leasesList } from './commands/leases.js';
import { events } from './commands/events.js';
import { gc } from './commands/gc.js';
import { info } from './commands/info.js';
import { pull } from './commands/pull.js';
import { AlreadyReported, errorMessage, exitCodeOf } from './error-message.js';
import { OUTPUT_FORMATS, type OutputFormat } from './format/index.js';
import { openSession, type Output, type Session } from './session.js';

/** What imagectl runs with besides its arguments. */
export interface ImagectlEnvironment {
  /** Standard output. */
  readonly stdout: Output;
  /** Standard error. */
  readonly stderr: Output;
  /** The socket used without `--address` and `IMAGED_ADDRESS`. */
  readonly defaultAddress: string;
  /** `IMAGED_ADDRESS`, if set. */
  readonly envAddress: string | undefined;
  /** imagectl's version. */
  readonly version: string;
  /** Aborted on SIGINT/SIGTERM (ends `events`). */
  readonly signal: AbortSignal;
}

/** Options of list commands (repeatable `--filter`, `-q`, `--output`). */
interface ListFlags {
  readonly filter: string[];
  readonly quiet?: boolean;
  readonly output: OutputFormat;
}

const repeat = (value: string, previous: string[]): string[] => [...previous, value];
const outputOption = (formats: readonly string[], fallback: string) =>
  new Option('-o, --output <format>', 'output format').choices(formats).default(fallback);
const filterOption = (what: string) => new Option('-f, --filter <filter>', what).argParser(repeat).default([]);

/** Adds `-q`, `--filter`, `--output` to a list command. */
const listCommand = (command: Command, filterHelp: string): Command =>
  command.addOption(filterOption(filterHelp)).option('-q, --quiet', 'print identifiers only').addOption(outputOption(OUTPUT_FORMATS, 'table'));

/** Builds the program; `run` opens a session for an action and closes it afterwards. */
function buildProgram(env: ImagectlEnvironment, run: (action: (session: Session) => Promise<void>) => Promise<void>): Command {
  const program = new Command('imagectl')
    .description(
      'Command-line client of imaged. pull, images, inspect and rm use the CRI view (namespace k8s.io); ' +
        'with -n, images, inspect and rm work on that namespace\'s image records instead. ' +
        'The other commands work in -n (default "default").',
    )
    .version(env.version)
    .option('-a, --address <path>', 'daemon socket or host:port (env IMAGED_ADDRESS)', env.envAddress ?? env.defaultAddress)
    .option('-n, --namespace <namespace>', 'namespace (default: "default"; CRI-backed commands: k8s.io)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => env.stdout.write(s),
      writeErr: (s) => env.stderr.write(s),
      outputError: (s, write) => write(`imagectl: ${s.replace(/^error: /, '')}`),
    });

  program
    .command('pull')
    .description('pull an image through CRI (into k8s.io) with live progress; prints the image ID')
    .argument('<ref>', 'image reference, e.g. docker.io/library/busybox:1.36')
    .option('-u, --user <user:password>', 'registry credentials')
    .action((ref: string, o: { user?: string }) => run((s) => pull(s, ref, o.user === undefined ? {} : { user: o.user })));

  const listImages = (o: ListFlags) => run((s) => imagesList(s, { filter: o.filter, output: o.output, quiet: o.quiet ?? false }));
  const filterHelp = 'CRI: an image reference; with -n: a containerd filter such as name~="^docker.io/" (repeatable, any matches)';
  const images = listCommand(program.command('images').description('list images (see ls)'), filterHelp).action(listImages);
  listCommand(images.command('ls').alias('list').description('list images: the CRI view, or -n NAMESPACE\'s records'), filterHelp).action(listImages);

  program
    .command('inspect')
    .description('show an image as JSON: CRI status (verbose), or with -n the record, manifest, config and size')
    .argument('<ref>', 'image reference or ID')
    .addOption(outputOption(['json', 'yaml'], 'json'))
    .action((ref: string, o: { output: 'json' | 'yaml' }) => run((s) => inspect(s, ref, o.output)));

  program
    .command('rm')
    .alias('rmi')
    .description('remove images: CRI RemoveImage, or with -n delete the named records')
    .argument('<refs...>', 'image references')
    .option('--sync', 'with -n: collect garbage before returning', false)
    .action((refs: string[], o: { sync: boolean }) => run((s) => remove(s, refs, o)));

  program
    .command('tag')
    .description('create image record DST with the target of SRC (in -n)')
    .argument('<src>', 'existing image name')
    .argument('<dst>', 'new image name')
    .option('--force', 'replace DST if it exists', false)
    .action((src: string, dst: string, o: { force: boolean }) => run((s) => tag(s, src, dst, o)));

  program
    .command('label')
    .description('set labels of an image record (in -n); key= removes a label')
    .argument('<ref>', 'image name')
    .argument('<labels...>', 'key=value pairs')
    .action((ref: string, pairs: string[]) => run((s) => label(s, ref, pairs)));

  const content = program.command('content').description('blobs of the namespace');
  listCommand(content.command('ls').alias('list').description('list blobs: DIGEST, SIZE, AGE, LABELS'), 'containerd filter, e.g. labels."containerd.io/gc.root" (repeatable)').action(
    (o: ListFlags) => run((s) => contentList(s, { filter: o.filter, output: o.output, quiet: o.quiet ?? false })),
  );
  content
    .command('get')
    .description('write a blob\'s raw bytes to stdout')
    .argument('<digest>', 'blob digest')
    .action((digest: string) => run((s) => contentGet(s, digest)));
  content
    .command('rm')
    .alias('delete')
    .description('delete blobs')
    .argument('<digests...>', 'blob digests')
    .action((digests: string[]) => run((s) => contentRemove(s, digests)));

  const leases = program.command('leases').description('leases of the namespace');
  listCommand(leases.command('ls').alias('list').description('list leases: ID, CREATED AT, LABELS'), 'containerd filter, e.g. id==build-1 (repeatable)').action(
    (o: ListFlags) => run((s) => leasesList(s, { filter: o.filter, output: o.output, quiet: o.quiet ?? false })),
  );

  program
    .command('events')
    .description('follow events of every namespace until interrupted')
    .addOption(filterOption('containerd filter, e.g. topic=="/images/pull/progress" (repeatable, any matches)'))
    .addOption(outputOption(['table', 'json'], 'table'))
    .action((o: { filter: string[]; output: 'table' | 'json' }) => run((s) => events(s, { ...o, signal: env.signal })));

  program
    .command('gc')
    .description('collect garbage now and report what was freed')
    .addOption(outputOption(OUTPUT_FORMATS, 'table'))
    .action((o: { output: OutputFormat }) => run((s) => gc(s, o.output)));

  program
    .command('info')
    .description('daemon version and data directories; images, blobs, leases and content size of the namespace')
    .addOption(outputOption(OUTPUT_FORMATS, 'table'))
    .action((o: { output: OutputFormat }) => run((s) => info(s, o.output)));

  return program;
}

/** Runs imagectl with `argv` (without node and script); resolves with the exit code. */
export async function runImagectl(argv: readonly string[], env: ImagectlEnvironment): Promise<number> {
  const program = buildProgram(env, async (action) => {
    const { address, namespace } = program.opts<{ address: string; namespace?: string }>();
    const session = openSession(address, namespace, env.stdout, env.stderr);
    try {
      await action(session);
    } finally {
      session.close();
    }
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code) ? 0 : 2;
    if (err instanceof AlreadyReported) return 1;
    env.stderr.write(`imagectl: ${errorMessage(err)}\n`);
    return exitCodeOf(err);
  }
}
