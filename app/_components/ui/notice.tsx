import type { ComponentProps, ReactNode } from "react";
import { cn } from "./class-names";

export type TNoticeTone = "info" | "success" | "warning" | "error";

const tones: Record<TNoticeTone, string> = {
  info: "border-primary bg-blue-50",
  success: "border-success bg-green-50",
  warning: "border-warning bg-yellow-50",
  error: "border-error bg-red-50",
};

const icons: Record<TNoticeTone, string> = { info: "i", success: "✓", warning: "!", error: "×" };

export type TNoticeProps = Omit<ComponentProps<"div">, "title"> & {
  tone?: TNoticeTone;
  title: ReactNode;
  /** Heading level so the notice fits the page outline. */
  headingLevel?: 2 | 3;
};

/**
 * Notification banner (DADS NotificationBanner). Pass `role="alert"` only for something that
 * just happened (an action result); a notice that is part of the page needs no live role.
 */
export function Notice({ tone = "info", title, headingLevel = 2, className, children, ...rest }: TNoticeProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div
      data-tone={tone}
      className={cn("flex gap-4 rounded-12 border-l-8 px-5 py-4 text-ink", tones[tone], className)}
      {...rest}
    >
      <span
        aria-hidden="true"
        className="mt-1 flex size-7 shrink-0 items-center justify-center rounded-full bg-ink text-dns-16B-120 text-white"
      >
        {icons[tone]}
      </span>
      <div className="min-w-0 space-y-2">
        <Heading className="text-std-18B-160">{title}</Heading>
        {children ? <div className="text-std-16N-170">{children}</div> : null}
      </div>
    </div>
  );
}
