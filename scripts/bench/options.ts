/** The flags the comparison benchmarks share: `--root=DIR` (apps of another checkout), `--otlp` (export spans), numbers by name. */
export interface BenchOptions {
  root?: string;
  otlp: boolean;
  [name: string]: number | string | boolean | undefined;
}

export function benchOptions<N extends Record<string, number>>(args: readonly string[], numbers: N): BenchOptions & N {
  const options: BenchOptions & Record<string, number> = { otlp: false, ...numbers };
  for (const arg of args) {
    const [, name, value] = /^--([a-z-]+)(?:=(.*))?$/.exec(arg) ?? [];
    if (name === "otlp" && value === undefined) options.otlp = true;
    else if (name === "root" && value) options.root = value;
    else if (name !== undefined && name in numbers && value !== undefined && /^\d+$/.test(value) && Number(value) > 0) options[name] = Number(value);
    else {
      console.error(`unknown or bad argument ${arg}; takes --root=DIR, --otlp${Object.keys(numbers).map((n) => `, --${n}=N`).join("")}`);
      process.exit(1);
    }
  }
  return options as BenchOptions & N;
}
