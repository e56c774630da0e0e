"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "@/app/_components/ui/button";

/** Ends the next-auth session and returns to the home page. For the shell's user menu too. */
export function LogoutButton({ className }: { className?: string }) {
  const t = useTranslations("logout");
  return (
    <Button
      variant="outline"
      className={className}
      onClick={() => void signOut({ callbackUrl: "/" })}
      data-testid="logout"
    >
      {t("action")}
    </Button>
  );
}
