/** DER of distinguished names and DirName GeneralNames, shared by certificates and CRLs. */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { ctx, tlv } from "./ca/der-writer";

/** DER of a Name given in ASN.1 order (first RDN first). */
export function nameDer(name: x509.JsonNameParams | string): Uint8Array {
  return new Uint8Array(new x509.Name(name).toArrayBuffer());
}

/** GeneralName directoryName: `[4]` EXPLICIT Name (Name is a CHOICE, so the tag is explicit). */
export function directoryName(name: x509.JsonNameParams | string): Uint8Array {
  return tlv(ctx(4, true), nameDer(name));
}
