import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/app/_components/ui/link-button";

/** The signed payload as JSON, folded (the resident's document view and a proxy's). */
export async function RawJsonDetails({ payload }: { payload: unknown }) {
  const t = await getTranslations("mailbox");
  return (
    <details className="rounded-12 border border-line bg-white p-4">
      <summary className="cursor-pointer text-std-18B-160">{t("rawTitle")}</summary>
      <pre
        className="mt-4 max-h-[32rem] overflow-auto whitespace-pre-wrap break-all text-dns-16N-130"
        data-testid="raw-json"
      >
        {JSON.stringify(payload, null, 2)}
      </pre>
    </details>
  );
}

/** JSON and PDF download buttons; `base` is the document's URL (routes `download` and `pdf` below it). */
export async function DownloadButtons({ base }: { base: string }) {
  const t = await getTranslations("mailbox");
  return (
    <>
      <LinkButton href={`${base}/download`} prefetch={false} download>
        {t("downloadJson")}
      </LinkButton>
      <LinkButton href={`${base}/pdf`} prefetch={false} download>
        {t("downloadPdf")}
      </LinkButton>
    </>
  );
}
