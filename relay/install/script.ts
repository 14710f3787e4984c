// Pure helpers for the install routes: filling the relay URL into install.sh and which download names exist.

/** The line in packaging/install.sh that the relay rewrites: DEFAULT_SERVER='@LINKMESH_PUBLIC_URL@'. */
export const PUBLIC_URL_PLACEHOLDER = "@LINKMESH_PUBLIC_URL@";

export class InstallScriptError extends Error {
  constructor(
    readonly reason: "placeholder_missing" | "unsafe_public_url",
    message: string,
  ) {
    super(message);
    this.name = "InstallScriptError";
  }
}

// The URL lands inside single quotes in a shell script: allow only characters that cannot end the quote.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9._~%:@[\]/+-]+$/;

export function fillInstallScript(script: string, publicUrl: string): string {
  if (!script.includes(PUBLIC_URL_PLACEHOLDER)) {
    throw new InstallScriptError("placeholder_missing", `install.sh has no ${PUBLIC_URL_PLACEHOLDER} line to fill in`);
  }
  const url = publicUrl.replace(/\/+$/, "");
  if (!SAFE_URL.test(url)) {
    throw new InstallScriptError(
      "unsafe_public_url",
      `the public URL "${url}" cannot be embedded in install.sh; set LINKMESH_PUBLIC_URL to a plain http(s) URL`,
    );
  }
  return script.replaceAll(PUBLIC_URL_PLACEHOLDER, url);
}

// Exactly what scripts/package.mjs writes: versioned artifacts, their checksums, and the per-arch pointer.
const DOWNLOAD_NAME =
  /^(linkmesh-agent-[0-9][0-9A-Za-z.+-]*-linux-(x64|arm64)\.tar\.gz(\.sha256)?|linkmesh-agent-linux-(x64|arm64)\.sha256)$/;

export function isDownloadName(name: string): boolean {
  return DOWNLOAD_NAME.test(name) && !name.includes("..");
}
