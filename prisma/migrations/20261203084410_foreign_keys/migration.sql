-- Foreign keys for the ids that were plain uuid/text columns (platform, webhooks, notices,
-- passkeys, proxies, notifications). AuditEvent.actorId/subjectResidentId and
-- Passkey.credentialId stay without foreign keys on purpose (see schema.prisma).
--
-- Orphans first: rows written before this migration may point at parents that do not exist
-- (tests and hand-made dev data; the app itself only writes ids it just read). ADD CONSTRAINT
-- validates every existing row, so one orphan would fail the whole migration. A row whose
-- required parent is missing is unreachable in the app (every read goes through its partner,
-- resident, grant, event or delivery) and is deleted; an optional reference to a missing row is
-- set to NULL, the value the column has when there is no such parent. CrossDeviceLogin rows are
-- 5-minute login attempts and NotificationOutbox rows exist only with their document, so those
-- are deleted rather than nulled. Parents are cleaned before their children (IdentityVerification
-- before CertificateWatch, WebhookEvent/WebhookEndpoint before WebhookDelivery before
-- WebhookAttempt, ProxyGrant before ProxyNotice). AuditEvent is append-only and not touched.

-- Orphans: verification platform
UPDATE "IdentityVerification" t SET "residentId" = NULL
  WHERE t."residentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");
DELETE FROM "IdentityVerification" t
  WHERE NOT EXISTS (SELECT 1 FROM "Partner" p WHERE p."id" = t."partnerId")
     OR NOT EXISTS (SELECT 1 FROM "PartnerCredential" c WHERE c."id" = t."credentialId");
UPDATE "CertificateWatch" t SET "residentId" = NULL
  WHERE t."residentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");
DELETE FROM "CertificateWatch" t
  WHERE NOT EXISTS (SELECT 1 FROM "Partner" p WHERE p."id" = t."partnerId")
     OR NOT EXISTS (SELECT 1 FROM "PartnerCredential" c WHERE c."id" = t."credentialId")
     OR NOT EXISTS (SELECT 1 FROM "IdentityVerification" v WHERE v."id" = t."verificationId");

-- Orphans: webhooks
DELETE FROM "WebhookEndpoint" t WHERE NOT EXISTS (SELECT 1 FROM "Partner" p WHERE p."id" = t."partnerId");
DELETE FROM "WebhookEvent" t WHERE NOT EXISTS (SELECT 1 FROM "Partner" p WHERE p."id" = t."partnerId");
DELETE FROM "WebhookDelivery" t
  WHERE NOT EXISTS (SELECT 1 FROM "WebhookEvent" e WHERE e."id" = t."eventId")
     OR NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."id" = t."endpointId")
     OR NOT EXISTS (SELECT 1 FROM "Partner" p WHERE p."id" = t."partnerId");
DELETE FROM "WebhookAttempt" t WHERE NOT EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."id" = t."deliveryId");

-- Orphans: resident notices, cross-device logins, passkeys
DELETE FROM "ResidentNotice" t WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");
DELETE FROM "CrossDeviceLogin" t
  WHERE t."residentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");
DELETE FROM "Passkey" t WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");

-- Orphans: proxies
DELETE FROM "ProxyGrant" t
  WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."principalId")
     OR NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."proxyId");
DELETE FROM "ProxyNotice" t
  WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."principalId")
     OR NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."proxyId")
     OR NOT EXISTS (SELECT 1 FROM "ProxyGrant" g WHERE g."id" = t."grantId");
UPDATE "ProxyNotice" t SET "documentId" = NULL
  WHERE t."documentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "MailboxDocument" d WHERE d."id" = t."documentId");
DELETE FROM "ProxyProtection" t WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");

-- Orphans: notifications
DELETE FROM "NotificationPreference" t WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId");
DELETE FROM "NotificationOutbox" t
  WHERE NOT EXISTS (SELECT 1 FROM "Resident" r WHERE r."id" = t."residentId")
     OR (t."documentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "MailboxDocument" d WHERE d."id" = t."documentId"));

-- AddForeignKey
ALTER TABLE "IdentityVerification" ADD CONSTRAINT "IdentityVerification_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityVerification" ADD CONSTRAINT "IdentityVerification_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "PartnerCredential"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityVerification" ADD CONSTRAINT "IdentityVerification_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateWatch" ADD CONSTRAINT "CertificateWatch_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateWatch" ADD CONSTRAINT "CertificateWatch_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "PartnerCredential"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateWatch" ADD CONSTRAINT "CertificateWatch_verificationId_fkey" FOREIGN KEY ("verificationId") REFERENCES "IdentityVerification"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateWatch" ADD CONSTRAINT "CertificateWatch_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidentNotice" ADD CONSTRAINT "ResidentNotice_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrossDeviceLogin" ADD CONSTRAINT "CrossDeviceLogin_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Passkey" ADD CONSTRAINT "Passkey_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyGrant" ADD CONSTRAINT "ProxyGrant_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyGrant" ADD CONSTRAINT "ProxyGrant_proxyId_fkey" FOREIGN KEY ("proxyId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyNotice" ADD CONSTRAINT "ProxyNotice_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyNotice" ADD CONSTRAINT "ProxyNotice_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "ProxyGrant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyNotice" ADD CONSTRAINT "ProxyNotice_proxyId_fkey" FOREIGN KEY ("proxyId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyNotice" ADD CONSTRAINT "ProxyNotice_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "MailboxDocument"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProxyProtection" ADD CONSTRAINT "ProxyProtection_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "MailboxDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;
