"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";

/**
 * A freshly issued secret, shown once with a copy button and the warning that it will not be shown
 * again. `focusOnShow` moves focus to the notice when it appears, for a secret that appears away
 * from the control that asked for it (a rotation shown above the credentials table).
 */
export function SecretOnce({
  idLabel,
  id,
  secretLabel,
  secret,
  title,
  warning,
  copyLabel,
  copiedLabel,
  focusOnShow = false,
}: {
  idLabel: string;
  id: string;
  secretLabel: string;
  secret: string;
  title: string;
  warning: string;
  copyLabel: string;
  copiedLabel: string;
  focusOnShow?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnShow) noticeRef.current?.focus();
  }, [focusOnShow]);
  return (
    <Notice
      ref={noticeRef}
      tabIndex={focusOnShow ? -1 : undefined}
      tone="warning"
      title={title}
      data-testid="secret-once"
    >
      <p>{warning}</p>
      <dl className="mt-4 space-y-3">
        <div>
          <dt className="text-std-16B-170">{idLabel}</dt>
          <dd>
            <code data-testid="secret-once-id">{id}</code>
          </dd>
        </div>
        <div>
          <dt className="text-std-16B-170">{secretLabel}</dt>
          <dd className="flex flex-wrap items-center gap-3">
            <code data-testid="secret-once-value" className="break-all">
              {secret}
            </code>
            <Button
              size="sm"
              variant="outline"
              onClick={() => {
                void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
              }}
            >
              {copyLabel}
            </Button>
            <span role="status" className="text-std-16N-170">
              {copied ? copiedLabel : ""}
            </span>
          </dd>
        </div>
      </dl>
    </Notice>
  );
}
