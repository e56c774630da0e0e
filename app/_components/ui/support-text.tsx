import type { ComponentProps } from "react";
import { cn } from "./class-names";

/** Hint under a label; give it an id and list it in the input's `aria-describedby`. */
export function SupportText({ className, ...rest }: ComponentProps<"p">) {
  return <p className={cn("text-std-16N-170 text-ink-muted", className)} {...rest} />;
}
