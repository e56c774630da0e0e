import { z } from "zod";

/*
 * ╔══════════════════════════════════════════════════════════════════════════════════════════╗
 * ║ CHANGES NEED MIGRATIONS. Audit events are stored with these names forever and are covered ║
 * ║ by the hash chain, so a stored row can never be rewritten. Add new types freely; never    ║
 * ║ rename or remove one (old rows keep the old name, and readers must still understand it).   ║
 * ╚══════════════════════════════════════════════════════════════════════════════════════════╝
 */

/** Every kind of event in the audit log (lib/audit/append-audit-event.ts). */
export const ZAuditEventType = z.enum([
  // --- Resident registry ---
  /** Someone read a resident's registry record (the four basic facts, household, needs). */
  "resident.record_read",
  /** Someone changed a resident's registry record. */
  "resident.record_updated",
  // --- Card certificates ---
  /** A JPKI certificate was bound to a resident (first login with a card, renewal). */
  "certificate.bound",
  /** A certificate binding was removed from a resident. */
  "certificate.unbound",
  /** A binding changed status (superseded, revoked, expired), e.g. from CRL/OCSP monitoring. */
  "certificate.status_changed",
  // --- Authentication ---
  /** A resident or staff member logged in with their card (or passkey). */
  "auth.login_succeeded",
  /** A login attempt failed (bad signature, revoked card, replayed challenge, …). */
  "auth.login_failed",
  /** A login step (challenge, card/passkey/QR verification) was refused by a rate limit (first refusal per key and window). */
  "auth.rate_limited",
  // --- Staff and partners ---
  /** Municipal staff opened a resident's data in the admin console. */
  "staff.access",
  /** A partner API call read or wrote a resident's data. */
  "partner.api_access",
  /** A partner API credential was issued (the secret itself is never logged). */
  "partner.credential_created",
  /** A partner API credential was revoked. */
  "partner.credential_revoked",
  /** A partner API credential was replaced by a new one (the old one expires after a grace period). */
  "partner.credential_rotated",
  /** A partner asked municipal staff for more API scopes. */
  "partner.scope_requested",
  /** Municipal staff approved or rejected a partner's scope request. */
  "partner.scope_decided",
  /** A partner changed its webhook endpoints or replayed a delivery from the console. */
  "partner.webhook_changed",
  /** A partner OWNER added a console user, changed a user's role, (de)activated one, or reset one's password. */
  "partner.user_changed",
  /** A partner console user was refused an action (role not allowed, the last active owner, an owner resetting their own password). */
  "partner.console_action_refused",
  /** A partner kiosk refused a card of the other side of the sandbox (a TEST kiosk a real card, a LIVE one a sandbox card). */
  "partner.terminal_tap_refused",
  /** Municipal staff changed the origins a partner's documents may link their actions to (Partner.actionOrigins). */
  "partner.action_origins_changed",
  /** A partner console user changed their own password (the password is never logged). */
  "partner.password_changed",
  /** A partner console user's password change was refused: wrong current password (counted like a failed login) or a locked account. */
  "partner.password_change_failed",
  // --- Mailbox ---
  /** A document was delivered to a resident's mailbox. */
  "document.delivered",
  /** A document was opened (by the resident, a proxy, or staff). */
  "document.read",
  /** A document was shared with a partner or through a one-time link. */
  "document.shared",
  /** A share was revoked before it was used up or expired. */
  "document.share_revoked",
  /** A resident's document list (titles, issuers, unread count) was shown or searched. */
  "document.listed",
  /** A document was archived or taken out of the archive. */
  "document.archived",
  /** A partner read the delivery status (receipt) of a document it sent. */
  "document.receipt_read",
  // --- Consent ---
  /** A resident consented to a partner delivering to them or reading their data. */
  "consent.given",
  /** A resident revoked a consent. */
  "consent.revoked",
  /** A partner asked a resident for a consent (a link request addressed to them or claimed by them). */
  "consent.requested",
  /** A resident refused a partner's request for a consent. */
  "consent.refused",
  /** The consent ledger (linked partners, open shares) was shown to the resident. */
  "consent.listed",
  // --- Proxies ---
  /** A resident granted a proxy (family member, carer) access. */
  "proxy.granted",
  /** A proxy grant was revoked, expired, or frozen by the protected-person setting. */
  "proxy.revoked",
  /** A proxy acted on the principal's behalf (read or act). */
  "proxy.acted",
  /** The principal's proxy grants and proxy notices were shown. */
  "proxy.listed",
  /** The protected-person setting (all proxies frozen) was turned on or off. */
  "proxy.protection_changed",
  // --- Emergency medical history (lib/services/emergency) ---
  /** An ambulance crew or another hospital read the emergency history after a tap with the PIN (the resident's consent). */
  "emergency.record_read",
  /** A break-glass read: the emergency history read without the PIN, with a reason, for 30 minutes. */
  "emergency.break_glass",
  /** The resident added or removed a self-reported emergency entry (allergy, condition, medication, contact). */
  "emergency.self_entry_changed",
  // --- Administrative applications ---
  /** A resident submitted (or re-submitted) an application signed with the card. */
  "application.submitted",
  /** Staff returned an application to the resident with a reason. */
  "application.returned",
  /** Staff approved an application (and what it sets off: the registry change, J-LIS, the document). */
  "application.approved",
  // --- Disaster response ---
  /** A resident (or a proxy, or staff on their behalf) answered an evacuation order: safe / needs help. */
  "disaster.safety_replied",
  // --- Shelters (lib/disaster/shelters) ---
  /** A resident was checked in at a shelter (card tap, or a child under 15 confirmed by shelter staff), or moved there by a transfer. */
  "disaster.shelter_checked_in",
  /** A resident was checked out of a shelter (or out of the old one by a transfer). */
  "disaster.shelter_checked_out",
  /** Staff opened or closed a shelter. */
  "disaster.shelter_status_changed",
  /** Staff saw named residents not yet accounted for on the shelter dashboard. */
  "disaster.unaccounted_viewed",
  /** A family member (same household, or a proxy) saw the resident's safety and shelter status. */
  "disaster.household_status_viewed",
  // --- Staff console: registry events and protected persons (lib/services/residents, lib/protection) ---
  /** Staff recorded a registry event (birth, move in/out, death, change of name) and what J-LIS did. */
  "resident.registry_event",
  /** Staff did card counter work for a resident (a lost card reported to J-LIS). */
  "resident.card_event",
  /** Staff set or lifted a protected-person period (支援措置: proxies, link requests and address disclosure stopped). */
  "resident.protection_changed",
  // --- Bulk notices (lib/bulk-notices) ---
  /** Staff uploaded a CSV and a notice to send to its residents (no resident data read yet). */
  "notice.batch_created",
  /** A supervisor approved a bulk notice above the clerk's limit. */
  "notice.batch_approved",
  /** Staff withdrew a bulk notice before it was sent. */
  "notice.batch_cancelled",
  /** The job finished a bulk notice: every line delivered or refused (counts in data). */
  "notice.batch_completed",
  /** Staff downloaded the per-line report of a bulk notice. */
  "notice.report_downloaded",
  // --- Resident reports and roads (lib/reports) ---
  /** A resident or visitor sent a report (web or Open311). */
  "report.submitted",
  /** Staff assigned a report or changed its status (with the public note). */
  "report.triaged",
  /** Staff or the reporter opened a report's photo. */
  "report.photo_read",
  /** Staff closed or reopened a road segment (possibly from a road-damage report). */
  "road.segment_changed",
  /** A partner posted a batch of probe points (counts only). */
  "road.probe_received",
  // --- TV and set-top boxes ---
  /** A resident agreed that their household's set-top box may hint whether they are at home in a disaster. */
  "set_top_box.opted_in",
  /** A resident withdrew that agreement (and the box's activity was deleted if no one else consents). */
  "set_top_box.withdrawn",
  // --- Evacuation orders (lib/disaster/orders) ---
  /** Staff issued an evacuation order for a district (hazard, alert level 1–5). */
  "disaster.order_issued",
  /** Staff raised or lowered an order's alert level. */
  "disaster.order_changed",
  /** Staff lifted an order (解除). */
  "disaster.order_lifted",
  /** A resident's personal evacuation notice was read (the document or the disaster page). */
  "disaster.notice_read",
  /** An unread notice at level 4 or above was escalated (mail again, urgent TV banner). */
  "disaster.notice_escalated",
  // --- Notifications ---
  /** A resident turned the e-mail notification of a document type on or off. */
  "notification.preference_changed",
  // --- System ---
  /** A background job ran (seed, CRL refresh, retention, …) and touched data. */
  "system.job_run",
  /** The audit log (or a resident's part of it) was exported. */
  "audit.exported",
  /** A resident's own access log ("who looked at my data") was shown. */
  "audit.access_log_viewed",
  // --- Partner onboarding and the staff audit viewer (lib/partners/onboard-partner.ts, lib/audit/audit-viewer.ts) ---
  /** Staff registered a new partner (organisation, 法人番号, owner contact). */
  "partner.registered",
  /** Staff suspended or reactivated a partner (API, kiosks and deliveries refused while suspended). */
  "partner.status_changed",
  /** Staff sent (or re-sent) a partner owner the one-time console invitation (the token itself is never logged). */
  "partner.invitation_sent",
  /** A partner owner accepted the console invitation and set a password. */
  "partner.invitation_accepted",
  /** Staff read the audit log in the staff console (filters and count in data). */
  "audit.log_viewed",
  /** Staff ran the hash-chain and anchor check from the staff console (result in data). */
  "audit.chain_verified",
  // --- Single sign-on (lib/oidc) ---
  /** ADMIN staff registered a relying party (its secret is never logged). */
  "oidc.client_created",
  /** ADMIN staff disabled a relying party. */
  "oidc.client_disabled",
  /** The provider's signing key was rotated (the old key stays published for verification). */
  "oidc.signing_key_rotated",
  /** The resident decided which claims a relying party may receive (approved and declined). */
  "oidc.consent_granted",
  /** The resident withdrew their consent for a relying party (its grants and tokens revoked). */
  "oidc.consent_withdrawn",
  /** Claims about the resident went to a relying party (ID token or userinfo): client and claim names. */
  "oidc.claims_released",
]);
export type TAuditEventType = z.infer<typeof ZAuditEventType>;

/**
 * Who did it. actor.id is Resident.id for "resident" and "proxy" (the proxy's own resident id),
 * StaffMember.id for "staff", Partner.id for "partner", and the job name for "system".
 */
export const ZAuditActorType = z.enum(["resident", "staff", "partner", "proxy", "system"]);
export type TAuditActorType = z.infer<typeof ZAuditActorType>;

/** Where the request came from (convention 4, docs/architecture.md#conventions). */
export const ZAuditChannel = z.enum(["pc", "phone", "tv", "terminal", "api", "console", "system"]);
export type TAuditChannel = z.infer<typeof ZAuditChannel>;

/** Request metadata of the audited request. User agents are client-chosen, so they are capped. */
export const ZRequestMetadata = z.object({
  ip: z.string().max(64).optional(),
  userAgent: z
    .string()
    .transform((v) => v.slice(0, 512))
    .optional(),
});
export type TRequestMetadata = z.input<typeof ZRequestMetadata>;

/** Input of appendAuditEvent. `data` must be JSON: it is stored as jsonb and hashed (RFC 8785). */
export const ZAppendAuditEventInput = z.object({
  type: ZAuditEventType,
  actor: z.object({ type: ZAuditActorType, id: z.string().min(1).max(200).optional() }),
  subjectResidentId: z.uuid().optional(),
  purpose: z.string().min(1).max(500).optional(),
  channel: ZAuditChannel.optional(),
  requestMetadata: ZRequestMetadata.optional(),
  data: z.record(z.string(), z.json()).optional(),
});
export type TAppendAuditEventInput = z.input<typeof ZAppendAuditEventInput>;
