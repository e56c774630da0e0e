import type { ComponentProps } from "react";
import { cn } from "./class-names";

export type TInputProps = ComponentProps<"input"> & { blockSize?: "md" | "lg" };

/**
 * Text input (DADS Input). State comes from native attributes: `aria-invalid="true"` paints the
 * error border, `readOnly`/`aria-disabled` the read-only look. Wire the label with `id`/`htmlFor`
 * and ErrorText + SupportText with `aria-describedby`:
 *
 * @example
 * <Label htmlFor="kana">フリガナ</Label>
 * <SupportText id="kana-hint">全角カタカナ</SupportText>
 * <Input id="kana" aria-describedby="kana-error kana-hint" aria-invalid="true" />
 * <ErrorText id="kana-error">カタカナで入力してください</ErrorText>
 */
export function Input({ blockSize = "md", className, ...rest }: TInputProps) {
  return (
    <input
      data-size={blockSize}
      className={cn(
        "w-full max-w-full rounded-8 border border-line-strong bg-white px-4 text-std-16N-170 text-ink",
        "hover:border-ink aria-[invalid=true]:border-error aria-[invalid=true]:border-2",
        "read-only:border-dashed aria-disabled:border-solid-gray-300 aria-disabled:bg-solid-gray-50 aria-disabled:text-solid-gray-420",
        blockSize === "lg" ? "h-16" : "h-14",
        className,
      )}
      {...rest}
    />
  );
}
