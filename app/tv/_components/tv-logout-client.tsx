"use client";

import { signOut } from "next-auth/react";

/** Ends the TV's session (next-auth) and returns to the TV's login screen. */
export function TvLogoutClient({ label, n }: { label: string; n: number }) {
  return (
    <button
      type="button"
      data-tv-nav=""
      data-tv-key={String(n)}
      data-testid="tv-logout"
      onClick={() => void signOut({ callbackUrl: "/tv" })}
      className="flex min-h-40 w-full items-center gap-6 rounded-24 border-4 border-white bg-black px-8 text-tv-body font-bold text-white"
    >
      <span
        aria-hidden="true"
        className="flex size-16 shrink-0 items-center justify-center rounded-full bg-white text-black"
      >
        {n}
      </span>
      <span>{label}</span>
    </button>
  );
}
