import type { ReactNode } from "react";

/** The page's single h1 with its lead paragraph. */
export function PageHeader({ title, lead, children }: { title: ReactNode; lead?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-8 space-y-3">
      <h1 className="text-std-32B-150 sm:text-std-36B-140">{title}</h1>
      {lead ? <p className="max-w-[46em] text-std-16N-175 text-ink-muted sm:text-std-18N-160">{lead}</p> : null}
      {children}
    </div>
  );
}
