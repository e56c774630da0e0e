import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

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
