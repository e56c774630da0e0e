import { errorCodes, type TErrorCode } from "./codes";

export type TErrorCatalogueEntry = { code: TErrorCode; status: number; message: string };

/** Every stable error code with its HTTP status and message, in the order of codes.ts (the /docs/errors page). */
export function errorCatalogue(): TErrorCatalogueEntry[] {
  return (Object.keys(errorCodes) as TErrorCode[]).map((code) => ({
    code,
    status: errorCodes[code].status,
    message: errorCodes[code].message,
  }));
}
