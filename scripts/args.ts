/** The value after `--name` on the command line, or undefined. */
export function argValue(name: string, argv = process.argv): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The value of `--name=value` on the command line, or `dflt`. */
export function option(name: string, dflt: string, argv = process.argv): string {
  return argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
}
