import net from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

/* Test helpers: a real SMTP server and a nodemailer transport to it (no mocks). */

/** A real SMTP server (smtp-server) on 127.0.0.1 and an ephemeral port that keeps what it receives. */
export async function startSmtp(): Promise<{ port: number; mails: ParsedMail[]; close: () => Promise<void> }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export const smtpTransport = (port: number) =>
  nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true, connectionTimeout: 2000 });

/** Waits until `mails` has more than `count` entries or `ms` passed. */
export async function waitForMail(mails: ParsedMail[], count: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (mails.length <= count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
