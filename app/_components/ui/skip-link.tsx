import type { ComponentProps } from "react";
import { cn } from "./class-names";

/**
 * First focusable element of every page: jumps past the header to `<main id="main" tabIndex={-1}>`
 * (WCAG 2.4.1). Hidden until focused.
 */
export function SkipLink({ className, href = "#main", ...rest }: ComponentProps<"a">) {
  return (
    <a
      href={href}
      data-skip-link=""
      className={cn(
        "sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-8 focus:bg-yellow-300 focus:px-4 focus:py-3 focus:text-std-17B-170 focus:text-black focus:underline",
        className,
      )}
      {...rest}
    />
  );
}
