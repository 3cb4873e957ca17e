/** Jest global setup: install the Debian peers once before any test file runs. */
import { ensurePeers } from './support/peers.js';

export default function globalSetup(): void {
  ensurePeers();
}
