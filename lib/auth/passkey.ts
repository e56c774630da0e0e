/**
 * Passkeys (WebAuthn Level 3, via @simplewebauthn/server) for low-risk re-entry. A resident
 * registers one only inside a fresh card-login session; logging in with it gives a session of
 * assurance "passkey", which pages with personal data do not accept (they ask for a card login
 * again: step-up, app/_server/session.ts requireCardResident).
 *
 * Challenges are LoginChallenge rows of purpose "passkey": 32 random bytes, bound to the browser
 * through the binding cookie, single use, 5 minutes (the same store as card login). User
 * verification is required (the authenticator's PIN or biometrics), credentials are
 * discoverable (no user name is typed), and the signature counter is checked when the
 * authenticator keeps one.
 */
// @simplewebauthn/server parses attestation with @peculiar/asn1-* (tsyringe): the polyfill first.
import "reflect-metadata";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { PrismaClient } from "../db/client";
import { AppError, validationFailed } from "../errors/app-error";
import { consumeChallenge, issueChallenge } from "./challenge";
import { type TLoginRateLimits, type TLoginRequestMetadata, withLoginAttempt } from "./login-rate-limits";
import { normalizeOrigin } from "./web-eid-token";

export type TPasskeyRelyingParty = { origin: string; rpName?: string };

const MAX_PASSKEYS_PER_RESIDENT = 10;

function rp(o: TPasskeyRelyingParty): { origin: string; rpID: string; rpName: string } {
  const origin = normalizeOrigin(o.origin);
  return { origin, rpID: new URL(origin).hostname, rpName: o.rpName ?? "ichimai" };
}

/** The challenge a WebAuthn response answers, read from its clientDataJSON (WebAuthn §5.8.1). */
function challengeOf(response: { response: { clientDataJSON: string } }): string {
  try {
    const data = JSON.parse(Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8")) as {
      challenge?: unknown;
    };
    if (typeof data.challenge !== "string") throw new Error("no challenge");
    return data.challenge;
  } catch (cause) {
    throw new AppError("VALIDATION_FAILED", { message: "clientDataJSON is not valid.", cause });
  }
}

/** Consume the challenge named in the response (session-bound, single use), as base64url. */
async function consumeFrom(
  db: PrismaClient,
  response: { response: { clientDataJSON: string } },
  binding: string | undefined,
) {
  const challenge = challengeOf(response);
  if (!binding || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new AppError("CHALLENGE_UNKNOWN");
  const nonce = Buffer.from(challenge, "base64url").toString("base64");
  await consumeChallenge(db, { nonce, binding, purpose: "passkey" });
  return challenge;
}

const ZRegistrationResponse = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: z.string().max(8192),
    attestationObject: z.string().max(65536),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** zod at the edge, as AppError (next-auth's authorize only passes a message through). */
function parseResponse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw validationFailed(r.error, { message: "The WebAuthn response does not have the expected shape." });
  }
  return r.data;
}

const ZAuthenticationResponse = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: z.string().max(8192),
    authenticatorData: z.string().max(8192),
    signature: z.string().max(2048),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** Registration options for a resident in a card session (WebAuthn §5.4). */
export async function startPasskeyRegistration(
  db: PrismaClient,
  o: TPasskeyRelyingParty & { residentId: string; displayName: string; binding: string },
) {
  const r = rp(o);
  const existing = await db.passkey.findMany({
    where: { residentId: o.residentId },
    select: { credentialId: true, transports: true },
  });
  if (existing.length >= MAX_PASSKEYS_PER_RESIDENT) {
    throw new AppError("VALIDATION_FAILED", { message: `At most ${MAX_PASSKEYS_PER_RESIDENT} passkeys per resident.` });
  }
  const { nonce } = await issueChallenge(db, { binding: o.binding, origin: r.origin, purpose: "passkey" });
  return generateRegistrationOptions({
    rpName: r.rpName,
    rpID: r.rpID,
    userName: o.displayName,
    userDisplayName: o.displayName,
    // The user handle is the resident id; it comes back in every assertion (discoverable login).
    userID: new TextEncoder().encode(o.residentId),
    challenge: new Uint8Array(Buffer.from(nonce, "base64")),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransport[],
    })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

/** Verify the new credential and store it (WebAuthn §7.1). */
export async function finishPasskeyRegistration(
  db: PrismaClient,
  o: TPasskeyRelyingParty & { residentId: string; binding: string | undefined; response: unknown; name?: string },
): Promise<{ passkeyId: string }> {
  const r = rp(o);
  const response = parseResponse(ZRegistrationResponse, o.response);
  const expectedChallenge = await consumeFrom(db, response, o.binding);
  const result = await verifyRegistrationResponse({
    response: response as Parameters<typeof verifyRegistrationResponse>[0]["response"],
    expectedChallenge,
    expectedOrigin: r.origin,
    expectedRPID: r.rpID,
    requireUserVerification: true,
  }).catch((cause: unknown) => {
    throw new AppError("SIGNATURE_INVALID", {
      message: `The passkey registration does not verify: ${(cause as Error).message}`,
      cause,
    });
  });
  if (!result.verified)
    throw new AppError("SIGNATURE_INVALID", { message: "The passkey registration does not verify." });
  const { credential } = result.registrationInfo;
  const count = await db.passkey.count({ where: { residentId: o.residentId } });
  const row = await db.$transaction(async (tx) => {
    const created = await tx.passkey.create({
      data: {
        residentId: o.residentId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: BigInt(credential.counter),
        transports: credential.transports ?? [],
        name: o.name ?? `passkey ${count + 1}`,
      },
    });
    await appendAuditEvent(tx, {
      type: "consent.given",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: "passkey registered for low-risk re-entry",
      data: { passkeyId: created.id },
    });
    return created;
  });
  return { passkeyId: row.id };
}

/** Options for a discoverable-credential login (no user name typed). */
export async function startPasskeyLogin(
  db: PrismaClient,
  o: TPasskeyRelyingParty & { binding: string; meta?: TLoginRequestMetadata; limits?: TLoginRateLimits | null },
) {
  const r = rp(o);
  const { nonce } = await issueChallenge(db, {
    binding: o.binding,
    origin: r.origin,
    purpose: "passkey",
    meta: o.meta,
    limits: o.limits,
  });
  return generateAuthenticationOptions({
    rpID: r.rpID,
    challenge: new Uint8Array(Buffer.from(nonce, "base64")),
    userVerification: "required",
    allowCredentials: [],
  });
}

type TFinishPasskeyLoginOptions = TPasskeyRelyingParty & {
  binding: string | undefined;
  response: unknown;
  /** Client address (lib/http/client-address.ts): audit rows and the failure limit. */
  ip?: string;
  userAgent?: string;
  limits?: TLoginRateLimits | null;
};

/**
 * Verify an assertion (WebAuthn §7.2); returns the resident for a "passkey" session. Failures
 * count against the client address's failure limit (login-rate-limits.ts).
 */
export async function finishPasskeyLogin(
  db: PrismaClient,
  o: TFinishPasskeyLoginOptions,
): Promise<{ residentId: string; displayName: string }> {
  return withLoginAttempt(db, { method: "passkey", meta: { ip: o.ip, userAgent: o.userAgent }, limits: o.limits }, () =>
    verifyPasskeyAssertion(db, o),
  );
}

async function verifyPasskeyAssertion(
  db: PrismaClient,
  o: TFinishPasskeyLoginOptions,
): Promise<{ residentId: string; displayName: string }> {
  const r = rp(o);
  const response = parseResponse(ZAuthenticationResponse, o.response);
  const expectedChallenge = await consumeFrom(db, response, o.binding);
  const passkey = await db.passkey.findUnique({ where: { credentialId: response.id } });
  if (!passkey) throw new AppError("CARD_UNKNOWN", { message: "This passkey is not registered." });
  const result = await verifyAuthenticationResponse({
    response: response as Parameters<typeof verifyAuthenticationResponse>[0]["response"],
    expectedChallenge,
    expectedOrigin: r.origin,
    expectedRPID: r.rpID,
    requireUserVerification: true,
    credential: {
      id: passkey.credentialId,
      publicKey: new Uint8Array(passkey.publicKey),
      counter: Number(passkey.counter),
      transports: passkey.transports as AuthenticatorTransport[],
    },
  }).catch((cause: unknown) => {
    throw new AppError("SIGNATURE_INVALID", {
      message: `The passkey assertion does not verify: ${(cause as Error).message}`,
      cause,
    });
  });
  if (!result.verified) throw new AppError("SIGNATURE_INVALID", { message: "The passkey assertion does not verify." });
  return db.$transaction(async (tx) => {
    await tx.passkey.update({
      where: { id: passkey.id },
      data: { counter: BigInt(result.authenticationInfo.newCounter), lastUsedAt: new Date() },
    });
    const resident = await tx.resident.findUniqueOrThrow({
      where: { id: passkey.residentId },
      select: { familyName: true, givenName: true, leftAt: true },
    });
    if (resident.leftAt) throw new AppError("CARD_UNKNOWN", { message: "The resident has left the registry." });
    await appendAuditEvent(tx, {
      type: "auth.login_succeeded",
      actor: { type: "resident", id: passkey.residentId },
      subjectResidentId: passkey.residentId,
      channel: "pc",
      requestMetadata: { ip: o.ip, userAgent: o.userAgent },
      data: { method: "passkey", passkeyId: passkey.id },
    });
    return { residentId: passkey.residentId, displayName: `${resident.familyName} ${resident.givenName}` };
  });
}
