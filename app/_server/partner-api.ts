/**
 * The partner API audience (/api/v1, HTTP Basic with a partner credential): its wrapper
 * `withPartner` (credential, scope, rate limit, every error as the API's JSON error) and the
 * documented operations live beside the routes in app/api/v1/_lib; other audiences' pages (the
 * partner console's API reference) reach them through here, not through the API's route folders.
 */
export { errorResponse, type TApiDeps, type TPartnerContext, withPartner } from "@/app/api/v1/_lib/with-partner";
export { OPERATIONS } from "@/app/api/v1/_lib/openapi";
