import type { ComponentProps, ReactNode } from "react";
import { cn } from "./class-names";

export type TTableProps = ComponentProps<"table"> & {
  /** Visible caption: names the table for screen readers and for the scroll region. */
  caption: ReactNode;
  /** Accessible name of the horizontally scrollable wrapper (a string, as aria-label must be). */
  regionLabel: string;
};

/**
 * Data table (DADS Table). The wrapper scrolls sideways on phones; it is focusable so keyboard
 * users can scroll it (axe: scrollable-region-focusable). Use `<th scope>` in the rows.
 * At least 40rem wide: Japanese breaks between any two characters, so on a 320 px phone the
 * columns would otherwise shrink to one character per line; the region scrolls instead (WCAG
 * 1.4.10 allows it for data tables).
 */
export function Table({ caption, regionLabel, className, children, ...rest }: TTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section aria-label={regionLabel} tabIndex={0} className="max-w-full overflow-x-auto">
      <table
        className={cn(
          "w-full min-w-[40rem] border-collapse text-left text-std-16N-170",
          "[&_th]:border-b-2 [&_th]:border-ink [&_th]:px-4 [&_th]:py-3 [&_th]:text-std-16B-170",
          "[&_td]:border-b [&_td]:border-line [&_td]:px-4 [&_td]:py-3",
          className,
        )}
        {...rest}
      >
        <caption className="mb-2 text-left text-std-18B-160">{caption}</caption>
        {children}
      </table>
    </section>
  );
}
