"use server";

import { staffAction, type TActionResult, type TActionState } from "@/app/_server/action";
import { AUDIT_VIEWER_ROLES, runAuditIntegrityCheck } from "@/lib/audit/audit-viewer";
import { getDb } from "@/lib/db/client";
import { getRuntime } from "@/lib/runtime/runtime";

/**
 * Run the hash-chain check, then the anchor check, from the audit viewer (what `npm run
 * audit:verify` does); lib checks the role again and audits `audit.chain_verified`. The chain is
 * streamed in batches of 1000 rows, so memory stays flat however long the log is.
 */
export async function verifyAuditChainAction(_prev: TActionState, _formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }): Promise<TActionResult> => {
      const { chain, anchors } = await runAuditIntegrityCheck(await getDb(), {
        staffId: staff.staffId,
        anchors: getRuntime().auditAnchors(),
        requestMetadata,
      });
      if (!chain.ok) {
        return {
          ok: true,
          report: {
            chainOk: false,
            count: chain.count.toString(),
            brokenSeq: chain.brokenSeq.toString(),
            reason: chain.reason,
          },
        };
      }
      return {
        ok: true,
        report: {
          chainOk: true,
          count: chain.count.toString(),
          headHash: chain.headHash,
          anchorsVerified: anchors?.verified ?? 0,
          anchorsLatestSeq: anchors?.latestSeq?.toString() ?? null,
          anchorProblems: anchors?.problems.length ?? 0,
          anchorProblemList: anchors?.problems.map((p) => `${p.line}:${p.reason}`).join(", ") ?? "",
        },
      };
    },
    { roles: AUDIT_VIEWER_ROLES },
  );
}
