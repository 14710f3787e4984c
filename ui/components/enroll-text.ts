// The Enroll page's pure text work: label parsing and the install one-liner for this relay.

/** `env=prod, team=obs` -> { env: "prod", team: "obs" }; throws with a sentence on a malformed pair. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(/[,\n]/)) {
    const pair = part.trim();
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = eq > 0 ? pair.slice(0, eq).trim() : "";
    if (!/^[A-Za-z0-9_.-]{1,63}$/.test(key))
      throw new Error(`Label "${pair}" is not key=value (key: letters, digits, _ . -).`);
    labels[key] = pair.slice(eq + 1).trim();
  }
  return labels;
}

export function installCommand(relayUrl: string, token: string): string {
  return `curl -fsSL ${relayUrl}/install.sh | sudo sh -s -- --token ${token}`;
}
