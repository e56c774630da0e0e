/**
 * oidc-provider's storage on PostgreSQL: the library's adapter API (find, upsert, consume,
 * destroy, findByUid, findByUserCode, revokeByGrantId) over OidcPayload, keyed by model name and
 * id. The "Client" model is read from OidcClient instead (admin-registered relying parties; a
 * disabled client is not found), so the provider has no static clients.
 */
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { clientMetadataOf, type TClientSecretOpener } from "./clients";

function epoch(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** The adapter class oidc-provider constructs once per model name. */
export function prismaAdapterFor(prisma: PrismaClient, openSecret: TClientSecretOpener): new (name: string) => Adapter {
  return class PrismaOidcAdapter implements Adapter {
    constructor(private readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.name === "Client") return; // clients are managed in the console, never by the library
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const data = {
        payload: payload as Prisma.InputJsonValue,
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt,
      };
      await prisma.oidcPayload.upsert({
        where: { type_id: { type: this.name, id } },
        create: { type: this.name, id, ...data },
        update: data,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === "Client") {
        const client = await prisma.oidcClient.findUnique({ where: { id } });
        if (!client || client.disabledAt) return undefined;
        return clientMetadataOf(client, openSecret) as AdapterPayload;
      }
      const row = await prisma.oidcPayload.findUnique({ where: { type_id: { type: this.name, id } } });
      return this.live(row);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await prisma.oidcPayload.findFirst({ where: { type: this.name, uid } });
      return this.live(row);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = await prisma.oidcPayload.findFirst({ where: { type: this.name, userCode } });
      return this.live(row);
    }

    async consume(id: string): Promise<void> {
      await prisma.oidcPayload.updateMany({
        where: { type: this.name, id, consumedAt: null },
        data: { consumedAt: new Date() },
      });
    }

    async destroy(id: string): Promise<void> {
      await prisma.oidcPayload.deleteMany({ where: { type: this.name, id } });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await prisma.oidcPayload.deleteMany({ where: { grantId } });
    }

    private live(
      row: { payload: Prisma.JsonValue; expiresAt: Date | null; consumedAt: Date | null } | null,
    ): AdapterPayload | undefined {
      if (!row) return undefined;
      if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
      const payload = row.payload as AdapterPayload;
      return row.consumedAt ? { ...payload, consumed: epoch(row.consumedAt) } : payload;
    }
  };
}

/** Housekeeping: drop stored protocol state that expired over a day ago. */
export async function purgeExpiredOidcPayloads(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.oidcPayload.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3600 * 1000) } },
  });
  return count;
}
