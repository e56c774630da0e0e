-- AlterTable
ALTER TABLE "TerminalDevice" ADD COLUMN     "credentialMode" "CredentialMode" NOT NULL DEFAULT 'LIVE';

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "mode" "CredentialMode" NOT NULL DEFAULT 'LIVE';

-- Backfill. Kiosks registered before this column checked production cards only: LIVE (the
-- default above). Webhook endpoints received every event of their partner; an endpoint of a
-- partner that never held a LIVE credential can only have been fed by sandbox (TEST) watches,
-- so it becomes TEST; the others stay LIVE.
UPDATE "WebhookEndpoint" e SET "mode" = 'TEST'
WHERE NOT EXISTS (
  SELECT 1 FROM "PartnerCredential" c WHERE c."partnerId" = e."partnerId" AND c."mode" = 'LIVE'
);
