"use client";

import "./globals.css";

/**
 * Last-resort 500 page: it replaces the root layout, so no message catalogue or locale cookie
 * is available. It speaks both languages at once, each marked with its own `lang`.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="ja">
      <body>
        <main className="mx-auto max-w-[48rem] space-y-8 px-4 py-12">
          <p className="text-std-16B-170 text-ink-muted">500</p>
          <section className="space-y-3">
            <h1 className="text-std-32B-150">サーバーで問題が発生しました</h1>
            <p className="text-std-16N-175">ご不便をおかけしています。しばらくしてからもう一度お試しください。</p>
          </section>
          <section lang="en" className="space-y-3">
            <h2 className="text-std-28B-150">A server problem occurred</h2>
            <p className="text-std-16N-175">Sorry for the inconvenience. Please try again later.</p>
          </section>
          {error.digest ? (
            <p className="text-dns-16N-130">
              問い合わせ番号 / <span lang="en">Reference</span>: <code>{error.digest}</code>
            </p>
          ) : null}
          <div className="flex flex-wrap gap-4">
            <button
              type="button"
              onClick={reset}
              className="min-h-12 rounded-8 bg-primary px-4 text-oln-16B-100 text-white hover:underline"
            >
              もう一度試す / <span lang="en">Try again</span>
            </button>
            {/* A full page load, not a client navigation: the app shell itself failed. */}
            <a
              href="/"
              className="inline-flex min-h-12 items-center rounded-8 border border-current px-4 text-oln-16B-100 text-primary underline"
            >
              トップページへ戻る / <span lang="en">Back to the home page</span>
            </a>
          </div>
        </main>
      </body>
    </html>
  );
}
