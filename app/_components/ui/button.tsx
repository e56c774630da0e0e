import type { ComponentProps } from "react";
import { cn } from "./class-names";

export type TButtonVariant = "solid-fill" | "outline" | "text";
export type TButtonSize = "sm" | "md" | "lg" | "xl";

/** Shared with LinkButton by copy, not import: DADS primitives do not import each other. */
const variants: Record<TButtonVariant, string> = {
  "solid-fill":
    "border-4 border-double border-transparent bg-primary text-white hover:bg-primary-hover hover:underline active:bg-primary-active aria-disabled:bg-solid-gray-300 aria-disabled:text-solid-gray-50",
  outline:
    "border border-current bg-white text-primary hover:bg-blue-200 hover:text-primary-hover hover:underline active:bg-blue-300 aria-disabled:border-solid-gray-300 aria-disabled:bg-white aria-disabled:text-solid-gray-420",
  text: "bg-transparent text-primary underline underline-offset-[0.1875rem] hover:bg-blue-50 hover:decoration-[0.1875rem] active:bg-blue-100 aria-disabled:text-solid-gray-420",
};

const sizes: Record<TButtonSize, string> = {
  sm: "min-h-9 min-w-20 rounded-6 px-3 py-1 text-oln-16B-100",
  md: "min-h-12 min-w-24 rounded-8 px-4 py-2 text-oln-16B-100",
  lg: "min-h-14 min-w-34 rounded-8 px-6 py-3 text-oln-16B-100",
  // Touch kiosks and 10-foot TV: ≥ 64px targets.
  xl: "min-h-20 min-w-48 rounded-12 px-8 py-4 text-std-24B-150",
};

export type TButtonProps = ComponentProps<"button"> & { variant?: TButtonVariant; size?: TButtonSize };

/**
 * DADS button. Disabled state uses `aria-disabled` (still focusable and announced) rather than
 * `disabled`, as DADS recommends; the click is suppressed by the caller's form logic.
 */
export function Button({ variant = "solid-fill", size = "md", className, type = "button", ...rest }: TButtonProps) {
  return (
    <button
      type={type}
      data-variant={variant}
      data-size={size}
      className={cn(
        "inline-flex items-center justify-center gap-2 text-center aria-disabled:cursor-not-allowed",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    />
  );
}
