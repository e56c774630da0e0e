/**
 * The provider's signing keys: one ACTIVE key signs, RETIRED keys stay published in the JWKS
 * until `retireUntil` so that ID tokens signed before a rotation still verify. Private JWKs are
 * stored sealed (lib/crypto/secret-box.ts).
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { PrismaClient } from "@/lib/db/client";
import type { TClientSecretOpener, TClientSecretSealer } from "./clients";

/** How long a retired key stays published: longer than any token it signed lives. */
export const RETIRED_KEY_PUBLISHED_MS = 24 * 3600 * 1000;

function keyAad(kid: string): string {
  return `oidc-signing-key:${kid}`;
}

function newJwk(kid: string): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
}

/** The published keys, the signing key first; creates the first key when there is none. */
export async function loadSigningKeys(
  prisma: PrismaClient,
  o: { seal: TClientSecretSealer; open: TClientSecretOpener; now?: Date },
): Promise<{ keys: Record<string, unknown>[]; fingerprint: string }> {
  const now = o.now ?? new Date();
  let rows = await usableKeys(prisma, now);
  if (!rows.some((r) => r.status === "ACTIVE")) {
    const kid = randomUUID();
    await prisma.oidcSigningKey
      .create({ data: { id: kid, status: "ACTIVE", jwkSealed: o.seal(JSON.stringify(newJwk(kid)), keyAad(kid)) } })
      // Another process created the first key at the same moment (one ACTIVE key, unique index).
      .catch(() => undefined);
    rows = await usableKeys(prisma, now);
  }
  return {
    keys: rows.map((r) => JSON.parse(o.open(r.jwkSealed, keyAad(r.id))) as Record<string, unknown>),
    fingerprint: rows.map((r) => `${r.id}:${r.status}`).join(","),
  };
}

async function usableKeys(prisma: PrismaClient, now: Date) {
  const rows = await prisma.oidcSigningKey.findMany({
    where: { OR: [{ status: "ACTIVE" }, { status: "RETIRED", retireUntil: { gt: now } }] },
    orderBy: { createdAt: "desc" },
  });
  // The ACTIVE key first: oidc-provider signs with the first key of a matching algorithm.
  return rows.sort((a, b) => (a.status === b.status ? 0 : a.status === "ACTIVE" ? -1 : 1));
}

/** Only the cheap part of loadSigningKeys: the published key ids, to notice a rotation. */
export async function signingKeysFingerprint(prisma: PrismaClient, now = new Date()): Promise<string> {
  const rows = await usableKeys(prisma, now);
  return rows.map((r) => `${r.id}:${r.status}`).join(",");
}

/**
 * Rotation: a new ACTIVE key signs from now on, the previous one is RETIRED and still published
 * for {@link RETIRED_KEY_PUBLISHED_MS}. Returns the new key id.
 */
export async function rotateSigningKey(
  prisma: PrismaClient,
  o: { seal: TClientSecretSealer; staffId?: string; now?: Date },
): Promise<string> {
  const now = o.now ?? new Date();
  const kid = randomUUID();
  const sealed = o.seal(JSON.stringify(newJwk(kid)), keyAad(kid));
  await prisma.$transaction(async (tx) => {
    const retired = await tx.oidcSigningKey.updateManyAndReturn({
      where: { status: "ACTIVE" },
      data: { status: "RETIRED", retiredAt: now, retireUntil: new Date(now.getTime() + RETIRED_KEY_PUBLISHED_MS) },
      select: { id: true },
    });
    await tx.oidcSigningKey.create({ data: { id: kid, status: "ACTIVE", jwkSealed: sealed, createdAt: now } });
    await appendAuditEvent(tx, {
      type: "oidc.signing_key_rotated",
      actor: o.staffId ? { type: "staff", id: o.staffId } : { type: "system", id: "oidc" },
      channel: o.staffId ? "console" : "system",
      data: { kid, retired: retired.map((r) => r.id) },
    });
  });
  return kid;
}
