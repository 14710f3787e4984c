// The OpenAPI 3.1 document of the relay, assembled from the routes' own schemas as they are registered, so
// the document cannot drift from what the routes validate. Served at GET /api/v1/openapi.json.

export { ACCESS_LEVELS, type Access, OPENAPI_PATH, openApiRoutes, RouteCatalog } from "./document.js";
