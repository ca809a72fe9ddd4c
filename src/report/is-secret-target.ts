// Tell whether an fs.read target or env.read name is a credential, so the report can call it a secret.
// The list follows what real install-time stealers went for (Shai-Hulud, s1ngularity, PhantomRaven).

const SECRET_PATHS: RegExp[] = [
  /(^|\/)\.npmrc$/,
  /(^|\/)\.yarnrc(\.yml)?$/,
  /(^|\/)\.netrc$/,
  /(^|\/)\.git-credentials$/,
  /(^|\/)\.pypirc$/,
  /(^|\/)\.env(\.[^/]*)?$/,
  /(^|\/)\.ssh(\/|$)/,
  /(^|\/)\.aws(\/|$)/,
  /(^|\/)\.azure(\/|$)/,
  /(^|\/)\.gnupg(\/|$)/,
  /(^|\/)\.config\/(gh|gcloud|hub)(\/|$)/,
  /(^|\/)\.kube\/config$/,
  /(^|\/)\.docker\/config\.json$/,
  /(^|\/)\.cargo\/credentials(\.toml)?$/,
  /(^|\/)\.gem\/credentials$/,
  /^\/proc\/[^/]+\/environ$/,
  /^\/etc\/shadow$/,
];

const SECRET_NAMES = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|_AUTH|^AUTH|API_?KEY|ACCESS_KEY|^AWS_|^AZURE_|^GCP_|^GOOGLE_APPLICATION/i;

// Say whether an fs.read of this path, or an env.read of this name, touches a credential.
export function isSecretTarget(kind: string, target: string): boolean {
  if (kind === 'fs.read') return SECRET_PATHS.some((pattern) => pattern.test(target));
  if (kind === 'env.read') return SECRET_NAMES.test(target);
  return false;
}
