/** A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise (CI logs). */
export function createProgress(total: number, label: string, out: NodeJS.WriteStream = process.stderr) {
  const width = 30;
  let lastDecile = -1;
  let lastDraw = 0;
  const draw = (done: number) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * width);
    return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`;
  };
  return {
    update(done: number) {
      if (out.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 50 && done < total) return;
        lastDraw = now;
        out.write(`\r${draw(done)}`);
        if (done >= total) out.write("\n");
        return;
      }
      const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        out.write(`${draw(done)}\n`);
      }
    },
  };
}
