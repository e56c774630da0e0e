"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type TNavItem = { href: string; label: string };

/**
 * Shell navigation. Client-side only to read the pathname for `aria-current="page"`; the links
 * themselves work without JavaScript.
 */
export function NavLinksClient({ items, label }: { items: readonly TNavItem[]; label: string }) {
  const pathname = usePathname();
  // The longest matching prefix wins, so /admin does not stay current on /admin/audit.
  const current = items
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label={label} className="border-t border-line bg-white">
      <ul className="mx-auto flex max-w-300 flex-wrap gap-x-1 px-2 sm:px-6">
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={item.href === current ? "page" : undefined}
              className="inline-flex min-h-12 items-center border-b-4 border-transparent px-3 text-std-16B-170 text-ink underline-offset-4 hover:underline aria-[current=page]:border-primary aria-[current=page]:text-primary"
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
