/**
 * The configuration `bun run dev` starts nats-server with: nats.conf itself, or, when the JetStream store or the
 * credentials folder is moved (NATS_STORE_DIR, CREDENTIALS_DIR), a copy written beside the auth file that names the
 * store by absolute path (nats-server 2.9 refuses -sd beside a configured store_dir) and includes the auth file by
 * its bare name (nats-server 2.9 reads an include relative to the including file, even an absolute one).
 */
export function natsConfFor(conf: string, changes: { storeDir?: string; include?: string }): string {
  let text = conf;
  if (changes.storeDir) text = text.replace(/^(\s*)store_dir:.*$/m, (_, indent: string) => `${indent}store_dir: ${JSON.stringify(changes.storeDir)}`);
  if (changes.include) text = text.replace(/^include .*$/m, `include ${JSON.stringify(changes.include)}`);
  return text;
}
