// Work out which dependency types npm will leave out, from its arguments and environment (npm's `omit`
// rules: --omit, --include, --production, NODE_ENV=production). Pure.

export type OmitType = 'dev' | 'optional' | 'peer';

// Return the set of types npm omits for this command line.
export function npmOmit(npmArgs: string[], env: NodeJS.ProcessEnv): Set<OmitType> {
  const omit = new Set<OmitType>();
  const include = new Set<string>();
  const add = (set: Set<string>, value: string | undefined) => {
    for (const v of (value ?? '').split(/[\s,]+/)) if (v) set.add(v);
  };
  add(omit as Set<string>, env.npm_config_omit);
  add(include, env.npm_config_include);
  if (env.NODE_ENV === 'production' || env.npm_config_production === 'true') omit.add('dev');
  for (let i = 0; i < npmArgs.length; i++) {
    const arg = npmArgs[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--omit') add(omit as Set<string>, inline ?? npmArgs[++i]);
    else if (flag === '--include') add(include, inline ?? npmArgs[++i]);
    else if (flag === '--production' && inline !== 'false') omit.add('dev');
    else if (flag === '--only' && /^prod/.test(inline ?? npmArgs[++i] ?? '')) omit.add('dev');
  }
  for (const type of include) omit.delete(type as OmitType);
  return new Set([...omit].filter((t): t is OmitType => t === 'dev' || t === 'optional' || t === 'peer'));
}
