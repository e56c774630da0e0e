import Link from "next/link";
import type { ComponentProps } from "react";
import { cn } from "./class-names";

const variants = {
  "solid-fill":
    "border-4 border-double border-transparent bg-primary text-white no-underline hover:bg-primary-hover hover:underline active:bg-primary-active",
  outline:
    "border border-current bg-white text-primary no-underline hover:bg-blue-200 hover:text-primary-hover hover:underline active:bg-blue-300",
  text: "bg-transparent text-primary underline underline-offset-[0.1875rem] hover:bg-blue-50 hover:decoration-[0.1875rem]",
} as const;

const sizes = {
  sm: "min-h-9 rounded-6 px-3 py-1 text-oln-16B-100",
  md: "min-h-12 rounded-8 px-4 py-2 text-oln-16B-100",
  lg: "min-h-14 rounded-8 px-6 py-3 text-oln-16B-100",
  xl: "min-h-20 rounded-12 px-8 py-4 text-std-24B-150",
} as const;

export type TLinkButtonProps = ComponentProps<typeof Link> & {
  variant?: keyof typeof variants;
  size?: keyof typeof sizes;
};

/** A link that looks like a DADS button: navigation stays a link for assistive technology. */
export function LinkButton({ variant = "solid-fill", size = "md", className, ...rest }: TLinkButtonProps) {
  return (
    <Link
      data-variant={variant}
      data-size={size}
      className={cn(
        "inline-flex items-center justify-center gap-2 text-center",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    />
  );
}
