import "@fontsource/noto-sans-jp/400.css";
import "@fontsource/noto-sans-jp/700.css";
import "./globals.css";
import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { RouteFocusClient } from "./_components/shell/route-focus-client";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return {
    title: { template: `%s | ${t("fullName")}`, default: t("fullName") },
    description: t("tagline"),
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0017c1" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
        <RouteFocusClient />
      </body>
    </html>
  );
}
