/** The audit file on disk: recovered after a crash, then appended to with every batch made durable before its ack. */
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { readAuditTail } from "./audit-line.ts";

export interface AuditFile {
  /** Sequence of the last line on disk: everything at or below it is already recorded. */
  readonly lastSequence: number;
  /** Appends the lines and returns once they are on disk (fdatasync). */
  append(text: string, lastSequence: number): Promise<void>;
  close(): Promise<void>;
}

const TAIL_CHUNK = 64 * 1024;

async function recover(handle: FileHandle): Promise<{ lastSequence: number; size: number }> {
  const { size } = await handle.stat();
  for (let chunk = TAIL_CHUNK; ; chunk *= 4) {
    const length = Math.min(size, chunk);
    const tail = new Uint8Array(length);
    await handle.read(tail, 0, length, size - length);
    const result = readAuditTail(tail, length === size);
    if (!result.found) continue;
    if (result.tornBytes > 0) {
      // Cut the torn write before appending, or the next line would be glued to garbage.
      await handle.truncate(size - result.tornBytes);
      await handle.datasync();
    }
    return { lastSequence: result.lastSequence, size: size - result.tornBytes };
  }
}

export async function openAuditFile(path: string): Promise<{ file: AuditFile; tornBytes: number }> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "a+");
  const before = (await handle.stat()).size;
  const { lastSequence, size } = await recover(handle);
  let last = lastSequence;
  const file: AuditFile = {
    get lastSequence() {
      return last;
    },
    async append(text, lastSequence) {
      await handle.write(text);
      await handle.datasync();
      last = lastSequence;
    },
    close: () => handle.close(),
  };
  return { file, tornBytes: before - size };
}
