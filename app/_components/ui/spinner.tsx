import type { ComponentProps, ReactNode } from "react";
import { cn } from "./class-names";

export type TLoadingProps = ComponentProps<"div"> & {
  /** Announced text, e.g. 「読み込み中です」. */
  label: ReactNode;
  size?: "md" | "lg";
};

/**
 * Loading indicator with a polite live region, so screen readers hear the label once.
 * The ring stops spinning under `prefers-reduced-motion`.
 */
export function Loading({ label, size = "md", className, ...rest }: TLoadingProps) {
  const ring = size === "lg" ? "size-16 border-8" : "size-8 border-4";
  return (
    <div
      role="status"
      aria-live="polite"
      data-loading=""
      className={cn("flex items-center gap-3 text-std-16B-170", className)}
      {...rest}
    >
      <span
        aria-hidden="true"
        className={cn(
          "inline-block animate-spin rounded-full border-blue-200 border-t-primary motion-reduce:animate-none",
          ring,
        )}
      />
      <span>{label}</span>
    </div>
  );
}
