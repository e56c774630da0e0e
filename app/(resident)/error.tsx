"use client";

import { ErrorViewClient } from "@/app/_components/error-view-client";

export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorViewClient error={error} reset={reset} />;
}
