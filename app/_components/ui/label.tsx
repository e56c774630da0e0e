import type { ComponentProps, ReactNode } from "react";
import { cn } from "./class-names";

export type TLabelProps = ComponentProps<"label"> & {
  /** A requirement badge text such as 「必須」/「任意」; given by the caller so it can be translated. */
  requirement?: ReactNode;
  size?: "md" | "lg";
};

/** Field label (DADS Label). Pair with Input through `htmlFor`. */
export function Label({ requirement, size = "md", className, children, ...rest }: TLabelProps) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the caller passes htmlFor through the native props.
    <label
      data-size={size}
      className={cn(
        "flex w-fit flex-wrap items-center gap-2 text-ink",
        size === "lg" ? "text-std-18B-160" : "text-std-17B-170",
        className,
      )}
      {...rest}
    >
      {children}
      {requirement ? <span className="text-dns-16N-130 text-error">{requirement}</span> : null}
    </label>
  );
}
