/**
 * The process's mailer (lib/runtime): the SMTP transport of the notification e-mails from env
 * SMTP_URL (nodemailer URL syntax: smtp://user:pass@host:587 uses STARTTLS when offered, smtps://
 * implicit TLS, RFC 8314) and the outbox worker. Getters that are views over getRuntime().
 */
import type { Transporter } from "nodemailer";
import type { PrismaClient } from "@/lib/db/prisma";
import { getRuntime } from "@/lib/runtime/runtime";
import type { TNotificationWorker } from "./notification-worker";

/** The SMTP transport; undefined when SMTP_URL is unset: notifications then wait in the outbox. */
export function getSmtpTransport(): Transporter | undefined {
  return getRuntime().mailer.transport();
}

/**
 * The process's notification worker when SMTP_URL is set (undefined otherwise): started on first
 * use, drains the outbox every 30 s and on `kick()`.
 */
export function getNotificationWorker(getPrisma: () => Promise<PrismaClient>): TNotificationWorker | undefined {
  return getRuntime().mailer.worker(getPrisma);
}

/**
 * Send the mails a just-committed transaction queued now rather than at the next 30 s drain
 * (deliveries, proxy actions). A no-op without SMTP_URL.
 */
export function kickNotificationMail(getPrisma: () => Promise<PrismaClient>): void {
  getNotificationWorker(getPrisma)?.kick();
}
