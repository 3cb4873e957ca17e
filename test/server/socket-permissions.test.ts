import fc from 'fast-check';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImagedError } from '../../src/errdefs/index.js';
import { resolveGroupId } from '../../src/server/group-id.js';
import { applySocketPermissions, checkSocketDirectories, checkSocketMode, withOwnerOnlyUmask } from '../../src/server/socket-permissions.js';
import { tempDir } from '../support/temp-dir.js';

const kindOf = (f: () => unknown): string => {
  try {
    f();
    return 'OK';
  } catch (err) {
    return err instanceof ImagedError ? err.kind : String(err);
  }
};

test.each([0o600, 0o660, 0o640, 0o700, 0o770, 0o664, 0])('socket mode %o is accepted', (mode) => {
  expect(() => checkSocketMode(mode)).not.toThrow();
});

test.each([0o666, 0o662, 0o777, 0o602])('socket mode %o (others may write) is refused', (mode) => {
  expect(() => checkSocketMode(mode)).toThrow(`socket mode 0${mode.toString(8)} lets every user on the machine connect (others may write); use 0660 or stricter`);
});

test.each([-1, 0o1000, 0.5, NaN])('socket mode %d is not a permission mode', (mode) => {
  expect(kindOf(() => checkSocketMode(mode))).toBe('InvalidArgument');
});

test('a directory others can write without the sticky bit is refused, at any depth; sticky or missing ones are fine', () => {
  const root = tempDir('imaged-sockdir-');
  const open = join(root, 'open');
  const socket = join(open, 'deeper', 'not-yet', 'imaged.sock');
  mkdirSync(join(open, 'deeper'), { recursive: true });
  chmodSync(open, 0o777);
  expect(() => checkSocketDirectories(socket)).toThrow(
    `refusing to serve on ${socket}: directory ${open} (mode 0777) is writable by every user and not sticky, so anyone could replace the socket; chmod o-w or +t it, or choose another --address`,
  );
  expect(kindOf(() => checkSocketDirectories(socket))).toBe('FailedPrecondition');
  chmodSync(open, 0o1777);
  expect(() => checkSocketDirectories(socket)).not.toThrow();
  chmodSync(open, 0o775);
  expect(() => checkSocketDirectories(socket)).not.toThrow();
});

test('applySocketPermissions sets the group and the mode', () => {
  const file = join(tempDir('imaged-sockperm-'), 'f');
  writeFileSync(file, '');
  applySocketPermissions(file, 0o640, 4242);
  expect(statSync(file).mode & 0o7777).toBe(0o640);
  expect(statSync(file).gid).toBe(4242);
  applySocketPermissions(file, 0o600, undefined);
  expect(statSync(file).gid).toBe(4242);
  expect(statSync(file).mode & 0o7777).toBe(0o600);
});

test('withOwnerOnlyUmask creates files for their owner only, then restores the umask', async () => {
  const file = join(tempDir('imaged-umask-'), 'f');
  const before = process.umask(0o002);
  try {
    expect(await withOwnerOnlyUmask(async () => writeFileSync(file, '', { mode: 0o666 }))).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(process.umask(0o002)).toBe(0o002);
  } finally {
    process.umask(before);
  }
});

test('groups resolve by number or by name from the group file; unknown ones are InvalidArgument', () => {
  const groupFile = join(tempDir('imaged-group-'), 'group');
  writeFileSync(groupFile, 'root:x:0:\nimaged:x:977:alice,bob\n\nbroken line\nweird:x:nan:\n');
  expect(resolveGroupId('977', groupFile)).toBe(977);
  expect(resolveGroupId('12345', groupFile)).toBe(12345);
  expect(resolveGroupId('imaged', groupFile)).toBe(977);
  expect(resolveGroupId('root', groupFile)).toBe(0);
  expect(() => resolveGroupId('nobody-here', groupFile)).toThrow(`socket group "nobody-here": no such group in ${groupFile}`);
  expect(() => resolveGroupId('weird', groupFile)).toThrow(/no such group/);
  expect(() => resolveGroupId('x', join(groupFile, 'missing'))).toThrow(/cannot read .*missing to look it up/);
  expect(() => resolveGroupId('4294967295', groupFile)).toThrow('socket group 4294967295: a group ID must be at most 4294967294');
});

test('any group name or number resolves to a GID or is InvalidArgument', () => {
  const groupFile = join(tempDir('imaged-group-'), 'group');
  writeFileSync(groupFile, 'root:x:0:\nimaged:x:977:alice\n');
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{1,12}$/), fc.constantFrom('root', 'imaged')), (group) => {
      try {
        const gid = resolveGroupId(group, groupFile);
        expect(Number.isSafeInteger(gid) && gid >= 0 && gid <= 4_294_967_294).toBe(true);
      } catch (err) {
        expect((err as ImagedError).kind).toBe('InvalidArgument');
      }
    }),
    { numRuns: 2000 },
  );
});
