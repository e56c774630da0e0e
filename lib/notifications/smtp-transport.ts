import nodemailer, { type Transporter } from "nodemailer";
import type { PrismaClient } from "@/lib/db/client";
import { env } from "@/lib/env";
import { startNotificationWorker, type TNotificationWorker } from "./notification-worker";

let transport: Transporter | undefined;

/**
 * The SMTP transport of the notification e-mails from env SMTP_URL (nodemailer URL syntax:
 * smtp://user:pass@host:587 uses STARTTLS when offered, smtps:// implicit TLS, RFC 8314).
 * Undefined when SMTP_URL is unset: notifications then wait in the outbox.
 */
export function getSmtpTransport(): Transporter | undefined {
  const url = env().SMTP_URL;
  if (!url) return undefined;
  transport ??= nodemailer.createTransport(url);
  return transport;
}

let worker: TNotificationWorker | undefined;

/**
 * The process's notification worker when SMTP_URL is set (undefined otherwise): started on first
 * use, drains the outbox every 30 s and on `kick()`.
 */
export function getNotificationWorker(getPrisma: () => Promise<PrismaClient>): TNotificationWorker | undefined {
  const transport = getSmtpTransport();
  if (!transport) return undefined;
  worker ??= startNotificationWorker(getPrisma, {
    transport,
    from: env().MAIL_FROM,
    portalOrigin: env().PORTAL_ORIGIN,
  });
  return worker;
}

/**
 * Send the mails a just-committed transaction queued now rather than at the next 30 s drain
 * (deliveries, proxy actions). A no-op without SMTP_URL.
 */
export function kickNotificationMail(getPrisma: () => Promise<PrismaClient>): void {
  getNotificationWorker(getPrisma)?.kick();
}
