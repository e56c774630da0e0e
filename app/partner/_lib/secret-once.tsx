"use client";

import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";

/** A freshly issued secret, shown once with a copy button and the warning that it will not be shown again. */
export function SecretOnce({
  idLabel,
  id,
  secretLabel,
  secret,
  title,
  warning,
  copyLabel,
  copiedLabel,
}: {
  idLabel: string;
  id: string;
  secretLabel: string;
  secret: string;
  title: string;
  warning: string;
  copyLabel: string;
  copiedLabel: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Notice tone="warning" title={title} data-testid="secret-once">
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
