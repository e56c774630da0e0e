-- Validates the four constraints foreign_keys_rest added NOT VALID. VALIDATE CONSTRAINT scans the
-- table under SHARE UPDATE EXCLUSIVE (and ROW SHARE on the referenced table): reads and writes go
-- on during the scan; only other DDL and VACUUM wait.
--
-- Orphans first, as in foreign_keys: rows written before foreign_keys_rest may point at parents
-- that do not exist (tests and hand-made dev data; the app only writes ids it just read or
-- created), and one of them would fail the validation. These statements take row locks only.
-- - DocumentShare.residentId is the document's owner by construction (share-document.ts shares
--   only the caller's own documents), so a missing resident is repaired from the document, whose
--   residentId already has its key. The share stays usable and revocable by its owner.
-- - DeliveryRequest.documentId, ScopeRequest.requestedBy and PartnerCredential.replacedById are
--   optional pointers: a missing row is set to NULL, the value they have when there is no such
--   row (as ON DELETE SET NULL does for the delivery request). The delivery request keeps its
--   stored answer, so a retry with its key still does not deliver twice.

-- Orphans
UPDATE "DocumentShare" t SET "residentId" = d."residentId"
  FROM "MailboxDocument" d
  WHERE d."id" = t."documentId" AND NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");
UPDATE "DeliveryRequest" t SET "documentId" = NULL
  WHERE t."documentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "MailboxDocument" d WHERE d."id" = t."documentId");
UPDATE "ScopeRequest" t SET "requestedBy" = NULL
  WHERE t."requestedBy" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "PartnerUser" u WHERE u."id" = t."requestedBy");
UPDATE "PartnerCredential" t SET "replacedById" = NULL
  WHERE t."replacedById" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "PartnerCredential" c WHERE c."id" = t."replacedById");

-- ValidateForeignKey
ALTER TABLE "PartnerCredential" VALIDATE CONSTRAINT "PartnerCredential_replacedById_fkey";
ALTER TABLE "ScopeRequest" VALIDATE CONSTRAINT "ScopeRequest_requestedBy_fkey";
ALTER TABLE "DeliveryRequest" VALIDATE CONSTRAINT "DeliveryRequest_documentId_fkey";
ALTER TABLE "DocumentShare" VALIDATE CONSTRAINT "DocumentShare_residentId_fkey";
