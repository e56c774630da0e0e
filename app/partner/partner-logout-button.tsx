"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/app/_components/ui/button";

/** Ends the partner user's session and returns to the partner login. */
export function PartnerLogoutButton({ label }: { label: string }) {
  return (
    <Button
      variant="outline"
      size="sm"
      onClick={() => void signOut({ callbackUrl: "/partner/login" })}
      data-testid="partner-logout"
    >
      {label}
    </Button>
  );
}
