/**
 * Demo data of the emergency medical history (lib/services/emergency): the town's fire department
 * (一枚町消防本部) with an enrolled ambulance reader, the demo hospital approved to read histories
 * at its reception kiosks ("another hospital"), and for the adult and elderly card holders a
 * 診療情報の要約 signed by 一枚町立病院 (the elderly one also a 健診結果), built from each
 * resident's own registry record. The adult has consented to ambulance crews reading allergies,
 * medication, conditions and contacts, and has entered an allergy and an emergency contact
 * themself; the elderly resident has chosen nothing (a break-glass read shows the vital parts).
 * Idempotent: documents by fixed idempotency keys, the rest only when missing.
 */
import { ensureDemoLink } from "./demo-links";
import { signCms } from "../../lib/jpki";
import { canonicalJsonBytes } from "../../lib/mailbox/canonical-json";
import { deliverDocument } from "../../lib/mailbox/deliver-document";
import { addSelfEntry } from "../../lib/services/emergency/self-entries";
import { setEmergencyConsent } from "../../lib/services/emergency/set-emergency-consent";
import { EMERGENCY_SCOPE } from "../../lib/services/emergency/identify-emergency-card";
import { organisationSigner, type TSigner } from "./demo-documents";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";
import { seedDemoTerminal } from "./demo-terminals";
import { seedPartner } from "./factories";

export const DEMO_FIRE_DEPARTMENT = {
  slug: "ichimai-fire",
  name: "一枚町消防本部",
  nameEn: "Ichimai Town Fire Department",
} as const;
export const DEMO_AMBULANCE_LABEL = "救急1";
const HOSPITAL_SLUG = "ichimai-hospital";

/** What the hospital knows of each demo patient (the person's own facts come from the registry). */
const CLINICAL = {
  adult: {
    bloodType: "A",
    allergies: [{ substance: "ペニシリン系抗菌薬", reaction: "全身の発疹・呼吸困難", severity: "severe" }],
    conditions: [{ name: "気管支喘息", since: "2015-04-01" }],
    medications: [{ name: "モンテルカスト錠10mg", dose: "1日1回 1錠 就寝前" }],
  },
  elderly: {
    bloodType: "O",
    allergies: [{ substance: "ヨード造影剤", reaction: "じんましん", severity: "moderate" }],
    conditions: [{ name: "高血圧症" }, { name: "心房細動", note: "抗凝固薬を服用中" }, { name: "2型糖尿病" }],
    medications: [
      { name: "ワルファリンカリウム錠1mg", dose: "1日1回 2錠 朝食後" },
      { name: "アムロジピン錠5mg", dose: "1日1回 1錠 朝食後" },
      { name: "メトホルミン塩酸塩錠250mg", dose: "1日2回 1錠 朝夕食後" },
    ],
  },
} as const;

export async function seedDemoEmergency(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  const { prisma } = ctx;
  await seedPartner(prisma, {
    ...DEMO_FIRE_DEPARTMENT,
    kind: "GOVERNMENT",
    approvedScopes: ["eligibility:verify", EMERGENCY_SCOPE],
    contactEmail: `kyukyu@${DEMO_FIRE_DEPARTMENT.slug}.example.jp`,
  });
  const hospital = await prisma.partner.findUniqueOrThrow({ where: { slug: HOSPITAL_SLUG } });
  if (!hospital.approvedScopes.includes(EMERGENCY_SCOPE)) {
    await prisma.partner.update({
      where: { id: hospital.id },
      data: { approvedScopes: [...hospital.approvedScopes, EMERGENCY_SCOPE] },
    });
  }
  const terminal = await seedDemoTerminal(prisma, {
    partnerSlug: DEMO_FIRE_DEPARTMENT.slug,
    label: DEMO_AMBULANCE_LABEL,
    mode: "AMBULANCE",
  });

  let signer: TSigner | undefined;
  const lines: string[] = [];
  for (const role of ["adult", "elderly"] as const) {
    const pick = ctx.cardHolders.find((c) => c.role === role);
    if (!pick) continue;
    const r = await prisma.resident.findUniqueOrThrow({
      where: { id: pick.id },
      select: { id: true, registryNumber: true, familyName: true, givenName: true, dateOfBirth: true },
    });
    const link = await ensureDemoLink(prisma, {
      partnerId: hospital.id,
      residentId: r.id,
      fresh: `KARTE-DEMO-${r.registryNumber}`,
    });
    // A link the resident ended stays ended: the hospital delivers nothing to them.
    if (!link.active) continue;
    const { partnerRef } = link;
    const patientName = `${r.familyName} ${r.givenName}`;
    const dateOfBirth = r.dateOfBirth.toISOString().slice(0, 10);
    const documents: [string, Record<string, unknown>][] = [
      [
        "medical-summary",
        { hospital: hospital.name, patientName, dateOfBirth, issuedOn: "2026-11-19", ...CLINICAL[role] },
      ],
    ];
    if (role === "elderly") {
      documents.push([
        "checkup-result",
        {
          facility: `${hospital.name} 健診センター`,
          patientName,
          checkedOn: "2026-06-12",
          summary: "血圧・血糖とも治療中。腎機能は保たれている。",
          items: [
            { name: "収縮期血圧", value: "138", unit: "mmHg", flag: "high" },
            { name: "HbA1c", value: "7.1", unit: "%", flag: "high" },
            { name: "eGFR", value: "64", unit: "mL/min/1.73m2", flag: "normal" },
          ],
        },
      ]);
    }
    for (const [type, payload] of documents) {
      const key = `demo-emergency-${type}-${r.registryNumber}`;
      const done = await prisma.deliveryRequest.findUnique({
        where: { partnerId_idempotencyKey: { partnerId: hospital.id, idempotencyKey: key } },
        select: { id: true },
      });
      if (done) continue;
      signer ??= await organisationSigner(ctx.partnerCa, hospital);
      const signature = await signCms({
        content: canonicalJsonBytes(payload),
        signerCertificate: signer.certificate,
        privateKey: signer.privateKey,
        detached: true,
        signingTime: new Date(),
      });
      await deliverDocument(prisma, {
        partnerId: hospital.id,
        idempotencyKey: key,
        trustAnchors: [ctx.partnerCa.certificate],
        request: { type, recipient: { partnerRef }, payload, signature: Buffer.from(signature).toString("base64") },
      });
    }
    if (role === "adult") {
      await setEmergencyConsent(prisma, {
        residentId: r.id,
        channel: "system",
        input: {
          audience: "AMBULANCE",
          parts: ["ALLERGIES", "MEDICATION", "CONDITIONS", "CONTACTS"],
          breakGlass: true,
        },
      });
      if ((await prisma.emergencySelfEntry.count({ where: { residentId: r.id } })) === 0) {
        await addSelfEntry(prisma, {
          residentId: r.id,
          channel: "system",
          input: { kind: "ALLERGY", text: "そば", detail: "じんましん（本人申告）" },
        });
        await addSelfEntry(prisma, {
          residentId: r.id,
          channel: "system",
          input: { kind: "CONTACT", text: "一枚 太郎", detail: "夫 090-0000-1234" },
        });
      }
    }
    lines.push(
      `    emergency: ${role} ${r.registryNumber} — history signed by ${hospital.name}${role === "adult" ? ", ambulance consent set" : ""}`,
    );
  }
  return { terminals: [terminal], lines };
}
