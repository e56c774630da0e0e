-- One GIN index for mailbox search instead of two. The global GIN on "searchGrams" served no
-- query (every search is within one resident's mailbox), and the per-resident one was partial
-- (not archived), so a search of the archive could not use it. Each GIN index costs ~220 entries
-- per delivered document: two of them took bulk delivery from ~1,900 to ~1,150 documents/s
-- (bench/mailbox-deliver.ts --bulk); with one, ~1,600/s.

-- DropIndex
DROP INDEX "MailboxDocument_searchGrams_idx";

-- The partial per-resident index of 20261202155523_inbox_indexes, replaced by a full one.
DROP INDEX "MailboxDocument_inbox_search_idx";

-- CreateIndex (btree_gin, created by 20261202155523_inbox_indexes, gives uuid_ops)
CREATE INDEX "MailboxDocument_inbox_search_idx" ON "MailboxDocument" USING GIN ("residentId" uuid_ops, "searchGrams" array_ops);
