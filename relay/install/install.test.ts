import { describe, expect, it } from "vitest";
import { fillInstallScript, InstallScriptError, isDownloadName } from "./index.js";

describe("install.sh gets the relay's public URL filled in", () => {
  const script = "#!/bin/sh\nDEFAULT_SERVER='@LINKMESH_PUBLIC_URL@'\nmain \"$@\"\n";
  it.each([
    ["https://relay.example.net", "https://relay.example.net"],
    ["https://relay.example.net/", "https://relay.example.net"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://[::1]:8080/linkmesh", "http://[::1]:8080/linkmesh"],
  ])("%s", (url, expected) => {
    expect(fillInstallScript(script, url)).toContain(`DEFAULT_SERVER='${expected}'`);
  });

  it.each([
    ["https://x'; rm -rf / #", "unsafe_public_url"],
    ["https://x/$(id)", "unsafe_public_url"],
    ["ftp://relay", "unsafe_public_url"],
  ])("refuses %s", (url, reason) => {
    expect(() => fillInstallScript(script, url)).toThrow(expect.objectContaining({ reason }));
  });

  it("refuses a script without the placeholder", () => {
    expect(() => fillInstallScript("#!/bin/sh\n", "https://a")).toThrow(InstallScriptError);
  });
});

describe("only packaged artifacts can be downloaded", () => {
  it.each([
    ["linkmesh-agent-0.1.0-linux-x64.tar.gz", true],
    ["linkmesh-agent-0.1.0-linux-arm64.tar.gz.sha256", true],
    ["linkmesh-agent-linux-x64.sha256", true],
    ["linkmesh-agent-0.1.0-linux-riscv64.tar.gz", false],
    ["../relay.js", false],
    ["linkmesh-agent-0.1.0..-linux-x64.tar.gz", false],
    ["install.sh", false],
    ["linkmesh.db", false],
  ])("%s -> %s", (name, allowed) => {
    expect(isDownloadName(name)).toBe(allowed);
  });
});
