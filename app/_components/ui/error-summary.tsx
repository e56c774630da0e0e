"use client";

import type { ComponentProps, ReactNode } from "react";
import { cn } from "./class-names";

export type TErrorSummaryItem = { href: `#${string}`; message: ReactNode };

export type TErrorSummaryProps = Omit<ComponentProps<"section">, "title"> & {
  title: ReactNode;
  errors: readonly TErrorSummaryItem[];
};

// Module-level so React calls it once on mount, not on every render (a new function each
// render would detach and re-attach the ref and steal focus again).
function focusOnMount(element: HTMLElement | null) {
  element?.focus();
}

/**
 * Error summary after a failed submit (GOV.UK error-summary, DADS ErrorText): it takes focus
 * when it appears so screen-reader and keyboard users land on it, and links to each field.
 */
export function ErrorSummary({ title, errors, className, id = "error-summary", ...rest }: TErrorSummaryProps) {
  return (
    <section
      ref={focusOnMount}
      id={id}
      tabIndex={-1}
      aria-labelledby={`${id}-title`}
      data-error-summary=""
      className={cn("rounded-8 border-4 border-error bg-white p-6", className)}
      {...rest}
    >
      <h2 id={`${id}-title`} className="text-std-20B-150 text-error">
        {title}
      </h2>
      <ul className="mt-4 list-disc space-y-2 pl-6">
        {errors.map((e) => (
          <li key={e.href}>
            <a href={e.href} className="text-std-16B-170 text-error underline">
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
