import { buildOpenApiSpec } from "../_lib/openapi";

// GET /api/v1/openapi.json – the OpenAPI 3.1 document, generated from the routes' zod schemas
export function GET() {
  return Response.json(buildOpenApiSpec(), { headers: { "Cache-Control": "public, max-age=300" } });
}
