-- Every foreign key's column now leads an index: deleting or re-keying a referenced row (a resident,
-- a document, a credential, an endpoint) checks the referencing rows by index instead of a scan, and
-- the per-resident / per-endpoint lookups use them too. lib/db/foreign-keys.test.ts keeps it so.

-- CreateIndex
CREATE INDEX "Household_districtId_idx" ON "Household"("districtId");

-- CreateIndex
CREATE INDEX "CertificateBinding_replacesId_idx" ON "CertificateBinding"("replacesId");

-- CreateIndex
CREATE INDEX "PartnerCredential_replacedById_idx" ON "PartnerCredential"("replacedById");

-- CreateIndex
CREATE INDEX "ScopeRequest_requestedBy_idx" ON "ScopeRequest"("requestedBy");

-- CreateIndex
CREATE INDEX "ScopeRequest_decidedById_idx" ON "ScopeRequest"("decidedById");

-- CreateIndex
CREATE INDEX "DeliveryRequest_documentId_idx" ON "DeliveryRequest"("documentId");

-- CreateIndex
CREATE INDEX "IdentityVerification_credentialId_idx" ON "IdentityVerification"("credentialId");

-- CreateIndex
CREATE INDEX "IdentityVerification_residentId_idx" ON "IdentityVerification"("residentId");

-- CreateIndex
CREATE INDEX "CertificateWatch_credentialId_idx" ON "CertificateWatch"("credentialId");

-- CreateIndex
CREATE INDEX "CertificateWatch_verificationId_idx" ON "CertificateWatch"("verificationId");

-- CreateIndex
CREATE INDEX "CertificateWatch_residentId_idx" ON "CertificateWatch"("residentId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_idx" ON "WebhookDelivery"("endpointId");

-- CreateIndex
CREATE INDEX "CrossDeviceLogin_residentId_idx" ON "CrossDeviceLogin"("residentId");

-- CreateIndex
CREATE INDEX "DocumentShare_residentId_idx" ON "DocumentShare"("residentId");

-- CreateIndex
CREATE INDEX "ProxyNotice_grantId_idx" ON "ProxyNotice"("grantId");

-- CreateIndex
CREATE INDEX "ProxyNotice_proxyId_idx" ON "ProxyNotice"("proxyId");

-- CreateIndex
CREATE INDEX "ProxyNotice_documentId_idx" ON "ProxyNotice"("documentId");

-- CreateIndex
CREATE INDEX "NotificationOutbox_residentId_idx" ON "NotificationOutbox"("residentId");

-- CreateIndex
CREATE INDEX "NotificationOutbox_documentId_idx" ON "NotificationOutbox"("documentId");
