/**
 * Makes sure the Debian peers the tests drive are installed: containerd's `ctr`/`containerd`,
 * the distribution registry and skopeo. As root it installs missing ones with apt; otherwise it
 * fails with a message that says what to install. It never skips.
 */
import { execFileSync } from 'node:child_process';

/** A command the tests need and the Debian package that provides it. */
interface Peer {
  readonly command: string;
  readonly pkg: string;
}

/** Every peer any test uses. */
const PEERS: readonly Peer[] = [
  { command: 'ctr', pkg: 'containerd' },
  { command: 'containerd', pkg: 'containerd' },
  { command: 'docker-registry', pkg: 'docker-registry' },
  { command: 'skopeo', pkg: 'skopeo' },
];

const has = (command: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Jest global setup: installs missing peers with apt-get (root only), or throws a clear error. */
export default function ensurePeers(): void {
  const missing = [...new Set(PEERS.filter((p) => !has(p.command)).map((p) => p.pkg))];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`tests need Debian packages ${missing.join(', ')}: run "sudo apt-get install -y ${missing.join(' ')}"`);
  }
  process.stderr.write(`installing test peers with apt-get: ${missing.join(', ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  const still = PEERS.filter((p) => !has(p.command)).map((p) => p.command);
  if (still.length > 0) throw new Error(`apt-get install ${missing.join(' ')} finished but ${still.join(', ')} still missing`);
}
