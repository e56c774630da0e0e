import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { orRefusal, tvPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { TvDocument } from "../../_components/tv-document";
import { TvFrame } from "../../_components/tv-frame";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("mailboxTitle") };
}

/** /tv/mailbox/[id]: one document in 10-foot type; opening it marks it read (as on the web), audited with channel tv. */
export default async function TvDocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ from?: string | string[] }>;
}) {
  const { t, locale, resident, channel, requestMetadata } = await tvPage("tv");
  if (!resident) redirect("/tv");
  const { id } = await params;
  const { from } = await searchParams;
  const [doc] = await orRefusal(
    getDocumentOrThrow(await getDb(), { residentId: resident.residentId, documentId: id, channel, requestMetadata }),
    ["NOT_FOUND"],
  );
  if (!doc) notFound();
  return (
    <TvFrame
      t={t}
      title={<bdi>{doc.subject[locale]}</bdi>}
      back={from === "health" ? "/tv/health" : "/tv/mailbox"}
      screen="document"
    >
      <TvDocument t={t} locale={locale} doc={doc} />
    </TvFrame>
  );
}
