/**
 * The environment of sandboxed job processes (clip renders, rig builds). BullMQ forks them
 * with `process.env` unless told otherwise, which would hand every secret of the server
 * (host and producer tokens, the viewer token key, the LLM key, cloud credentials) to code
 * that only renders pictures. They get the runtime's basics and the settings they read.
 */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'NODE_ENV',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
];
/** Prefixes of runtime settings that hold no secrets: the tsx loader (development runs). */
const INHERITED_PREFIXES = ['TSX_'];

/** Only the allowlisted variables of `base`, plus the job settings in `settings`. */
export function sandboxEnv(
  settings: Record<string, string>,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (
      value !== undefined &&
      (INHERITED.includes(name) || INHERITED_PREFIXES.some((p) => name.startsWith(p)))
    )
      env[name] = value;
  }
  return { ...env, ...settings };
}
