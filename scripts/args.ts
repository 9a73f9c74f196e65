/** The value after `--name` on the command line, or undefined. */
export function argValue(name: string, argv = process.argv): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
