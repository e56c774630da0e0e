import { getTranslations } from "next-intl/server";
import { SkipLink } from "@/app/_components/ui/skip-link";

/** Full-screen 10-foot frame: black background, white type, yellow focus (see `.tv-root` in globals.css). */
export default async function TvLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations("common");
  return (
    <div className="tv-root min-h-dvh bg-black text-white">
      <SkipLink>{t("skipLink")}</SkipLink>
      {children}
    </div>
  );
}
