const COLORS: Record<string, number> = { demo: 1, plane: 36, service: 32, receiver: 35, traffic: 33 };

/**
 * Writes `12:03:04 service  │ line` to stdout: the time, the part's name padded to one width, and the line.
 * Names are coloured when stdout is a terminal (and `NO_COLOR` is unset).
 */
export function createLog(
  write: (text: string) => void = (text) => process.stdout.write(text),
  color = process.stdout.isTTY && !process.env.NO_COLOR,
) {
  return (name: string, line: string): void => {
    const time = new Date().toTimeString().slice(0, 8);
    const label = name.padEnd(8);
    const code = COLORS[name] ?? 0;
    write(`${time} ${color ? `\x1b[${code}m${label}\x1b[0m` : label} │ ${line}\n`);
  };
}
