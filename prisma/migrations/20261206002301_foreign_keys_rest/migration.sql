-- The foreign keys foreign_keys (20261203084410) left out: DocumentShare.residentId,
-- DeliveryRequest.documentId, ScopeRequest.requestedBy, PartnerCredential.replacedById.
-- (DeliveryFailure.bulkId is a random id of one bulk request with no table, and the audit log's
-- ids stay without keys on purpose: see schema.prisma.)
--
-- In two migrations, because each migration is one transaction and a lock is held until its
-- commit. Here each constraint is added NOT VALID: PostgreSQL checks new and changed rows from now
-- on but does not scan the existing ones, so the SHARE ROW EXCLUSIVE lock on both tables lasts
-- only as long as this catalog change. The next migration (…_foreign_keys_rest_validate) clears
-- the orphans written before this one and validates the constraints under SHARE UPDATE EXCLUSIVE,
-- which lets reads and writes go on while it scans. From this commit on no new orphan can appear,
-- so the cleanup there cannot miss one.

-- AddForeignKey
ALTER TABLE "PartnerCredential" ADD CONSTRAINT "PartnerCredential_replacedById_fkey" FOREIGN KEY ("replacedById") REFERENCES "PartnerCredential"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
ALTER TABLE "ScopeRequest" ADD CONSTRAINT "ScopeRequest_requestedBy_fkey" FOREIGN KEY ("requestedBy") REFERENCES "PartnerUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
ALTER TABLE "DeliveryRequest" ADD CONSTRAINT "DeliveryRequest_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "MailboxDocument"("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
ALTER TABLE "DocumentShare" ADD CONSTRAINT "DocumentShare_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
