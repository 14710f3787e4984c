// Serves what a new host needs to join: GET /install.sh (the relay's public URL filled in) and the agent
// artifacts + .sha256 files under GET /downloads/:file. Public routes: none of it is secret (tokens never are here).

export { type InstallDeps, installPaths, installRoutes } from "./routes.js";
export { fillInstallScript, InstallScriptError, isDownloadName, PUBLIC_URL_PLACEHOLDER } from "./script.js";
