import Link from "next/link";
import type { ComponentProps } from "react";
import { cn } from "./class-names";

export type TBreadcrumb = { label: string; href?: string };

export type TBreadcrumbsProps = ComponentProps<"nav"> & {
  /** Landmark name, e.g. 「現在位置」. */
  "aria-label": string;
  items: readonly TBreadcrumb[];
};

/** Breadcrumb trail; the last item is the current page and is not a link. */
export function Breadcrumbs({ items, className, ...rest }: TBreadcrumbsProps) {
  return (
    <nav className={cn("text-dns-16N-130", className)} {...rest}>
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {items.map((item, i) => {
          const last = i === items.length - 1;
          return (
            <li key={`${item.label}-${item.href ?? ""}`} className="flex items-center gap-2">
              {item.href && !last ? (
                <Link href={item.href} className="text-primary underline hover:decoration-2">
                  {item.label}
                </Link>
              ) : (
                <span aria-current={last ? "page" : undefined}>{item.label}</span>
              )}
              {last ? null : (
                <span aria-hidden="true" className="text-ink-muted">
                  ›
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
