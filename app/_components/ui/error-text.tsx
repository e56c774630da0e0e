import type { ComponentProps } from "react";
import { cn } from "./class-names";

/**
 * Field error (DADS ErrorText). Its id goes first in the input's `aria-describedby` so the
 * error is read before the hint; the "＊" marker is decorative.
 */
export function ErrorText({ className, children, ...rest }: ComponentProps<"p">) {
  return (
    <p className={cn("text-std-16N-170 text-error", className)} {...rest}>
      <span aria-hidden="true">＊</span>
      {children}
    </p>
  );
}
