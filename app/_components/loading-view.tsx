import { getTranslations } from "next-intl/server";
import { Loading } from "./ui/spinner";

/** Body of every loading.tsx. */
export async function LoadingView() {
  const t = await getTranslations("common");
  return <Loading label={t("loading")} className="py-10" />;
}
