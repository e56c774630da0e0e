import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { freshCardLogin } from "@/app/_server/session";
import { CROSS_DEVICE_APPROVAL_MAX_AGE_MS, describeCrossDeviceLogin } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createLog, errorFields } from "@/lib/log/logger";
import { CardLoginClient } from "../../card-login-client";
import { QrApproveClient } from "./qr-approve-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("crossDevice");
  return { title: t("approveTitle") };
}

/**
 * /login/qr/<code>: opened on the phone from the PC's QR code. Log in here with the card (or
 * again, if the last card login is older than 5 minutes), compare the number, approve.
 */
export default async function QrApprovePage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const { t, resident } = await residentPage("crossDevice");
  const info = await describeCrossDeviceLogin(await getDb(), { code }).catch((err: unknown) => {
    // An unknown code is the "unusable" page; anything else is a failure shown the same way, but logged.
    if (!(err instanceof AppError)) createLog("auth/cross-device").error(errorFields(err), "QR login lookup failed");
    return null;
  });
  // Step-up for the approval: a card login within CROSS_DEVICE_APPROVAL_MAX_AGE_MS.
  const card = freshCardLogin(resident, CROSS_DEVICE_APPROVAL_MAX_AGE_MS);
  return (
    <div className="space-y-8">
      <PageHeader title={t("approveTitle")} lead={t("approveLead")} />
      {info?.status !== "pending" ? (
        <Notice tone="error" title={t("unusableTitle")} data-qr-approve="unusable">
          <p>{t("unusableBody")}</p>
        </Notice>
      ) : card ? (
        <QrApproveClient code={code} confirmation={info.confirmation} displayName={card.displayName} />
      ) : (
        <>
          <p>{t("loginFirst")}</p>
          <CardLoginClient afterLogin={`/login/qr/${code}`} showQr={false} />
        </>
      )}
    </div>
  );
}
