// The live stream for the UI: Server-Sent Events at GET /api/v1/stream that push the topology whenever ingest,
// agent links or the fleet change it, the first change at once, then at most one update per second per rate window.

export { type LiveDeps, liveRoutes, STREAM_PATH, TopologyBroadcaster } from "./stream.js";
