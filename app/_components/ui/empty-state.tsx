import type { ComponentProps, ReactNode } from "react";
import { cn } from "./class-names";

export type TEmptyStateProps = Omit<ComponentProps<"section">, "title"> & {
  title: ReactNode;
  /** Next step for the user, usually a LinkButton. */
  action?: ReactNode;
  headingLevel?: 2 | 3;
};

/** Shown where a list has nothing yet: says what will appear here and what to do next. */
export function EmptyState({ title, action, headingLevel = 2, className, children, ...rest }: TEmptyStateProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section
      data-empty-state=""
      className={cn(
        "flex flex-col items-start gap-4 rounded-12 border border-dashed border-line-strong bg-surface-muted p-6 sm:p-8",
        className,
      )}
      {...rest}
    >
      <Heading className="text-std-20B-150">{title}</Heading>
      {children ? <div className="text-std-16N-170 text-ink-muted">{children}</div> : null}
      {action}
    </section>
  );
}
