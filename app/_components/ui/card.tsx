import type { ComponentProps } from "react";
import { cn } from "./class-names";

/** A bordered content block. Use a heading inside it; the card itself adds no landmark. */
export function Card({ className, ...rest }: ComponentProps<"div">) {
  return <div className={cn("rounded-16 border border-line bg-white p-6 shadow-1", className)} {...rest} />;
}
