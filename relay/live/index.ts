// The live stream for the UI: Server-Sent Events at GET /api/v1/stream that push the topology whenever ingest,
// agent links or the fleet change it, the first change at once, then at most one update per 500 ms per rate window.

export { LIVE_BATCH_MS, type LiveDeps, liveRoutes, STREAM_PATH, TopologyBroadcaster } from "./stream.js";
