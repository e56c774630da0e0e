import { loginWithCard } from "../fixtures/card-login";
import { E2E_BASE_URL, readCardWorld } from "../fixtures/card";
import { expect, test } from "../fixtures";
import {
  hasExifGps,
  imageBytesFromPage,
  jpegWithGps,
  open311RequestIds,
  sendVisitorReport,
  setUpReportsTown,
} from "../fixtures/reports";
import { openE2eDatabase } from "../fixtures/services";
import { loginToRp, startSsoRps, type TSsoRps } from "../fixtures/sso";
import { accessLogEntries, lookUpResidentAsStaff } from "../fixtures/staff-residents";

// The staff console, single sign-on and resident reports, end to end for one resident of its own
// (card role ssoResident), against the real server: one card login signs her on to the town's
// library and school through ichimai's OpenID Provider; a clerk's look-up of her record appears
// with its purpose in her access log; a visitor's photo report reaches the staff map without its
// EXIF location, and an Open311 client lists it.
test.use({ ignoreHTTPSErrors: true });

let rps: TSsoRps;
test.beforeAll(async () => {
  rps = await startSsoRps();
  const { prisma } = await openE2eDatabase();
  try {
    await setUpReportsTown(prisma);
  } finally {
    await prisma.$disconnect();
  }
});
test.afterAll(async () => {
  await rps?.close();
});

test("[SSO][DONE]: one card login for two services with per-fact consent and different subjects; a staff look-up in her access log with its purpose; a visitor's photo report on the staff map without EXIF, listed over Open311", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const resident = readCardWorld().residents.ssoResident;

  const [library, school] = await test.step("one card login, two relying parties", async () => {
    await loginWithCard(page, "ssoResident");
    const logins: string[] = [];
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame() && new URL(f.url()).pathname === "/login") logins.push(f.url());
    });
    const lib = await loginToRp(page, rps, "library", { consent: ["name"] });
    const sch = await loginToRp(page, rps, "school", { consent: ["age_over_18"] });
    // No second card login: the provider's session came from the first.
    expect(logins).toEqual([]);
    return [lib, sch];
  });

  await test.step("each gets its own subject and only what she consented to", async () => {
    expect(library.sub).not.toBe("");
    expect(school.sub).not.toBe("");
    expect(school.sub).not.toBe(library.sub);
    expect(library.claims).toEqual({ name: resident.displayName });
    expect(library.acr).toBe("urn:ichimai:acr:card");
    // Age over 18 — not the birth date, not the name.
    expect(school.claims).toEqual({ age_over_18: "true" });
    expect(Object.keys(school.claims)).not.toContain("birthdate");
  });

  await test.step("a clerk's look-up appears in her access log with its purpose", async () => {
    const staffContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
    const staff = await staffContext.newPage();
    await loginWithCard(staff, "staff");
    const purposeText = `SSO完了確認 ${Date.now()}`;
    const lookUp = await lookUpResidentAsStaff(staff, {
      name: resident.displayName,
      purpose: "RESIDENT_INQUIRY",
      purposeText,
    });
    expect(lookUp.residentId).toBe(resident.residentId);
    await staffContext.close();

    const log = await accessLogEntries(page);
    const line = log.find((l) => l.actorType === "staff" && l.purpose.includes(purposeText));
    expect(line, JSON.stringify(log.slice(0, 5))).toBeTruthy();
    // The releases to the two services are there too.
    expect(log.filter((l) => l.type === "oidc.claims_released").length).toBeGreaterThanOrEqual(2);
  });

  const description = `倒木で通れません（SSO DONE ${Date.now()}）`;
  const sent = await test.step("a visitor sends a photo report carrying an EXIF GPS position", async () => {
    const photo = await jpegWithGps();
    expect(await hasExifGps(photo)).toBe(true);
    const visitor = await browser.newContext({ baseURL: E2E_BASE_URL });
    const result = await sendVisitorReport(await visitor.newPage(), { description, photo });
    await visitor.close();
    return result;
  });

  await test.step("staff see it on the map, its photo without the EXIF location", async () => {
    const staffContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
    const staff = await staffContext.newPage();
    await loginWithCard(staff, "staff");
    await staff.goto("/admin/reports");
    await expect(staff.locator(`[data-marker="${sent.reportId}"]`)).toHaveCount(1);
    const item = staff.locator(`[data-testid="staff-report"][data-report-id="${sent.reportId}"]`);
    await expect(item).toContainText(description);
    const served = await staff.evaluate(async (id) => {
      const res = await fetch(`/reports/${id}/photo`);
      return { status: res.status, bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
    }, sent.reportId);
    expect(served.status).toBe(200);
    expect(served.bytes.length).toBeGreaterThan(100);
    expect(await hasExifGps(new Uint8Array(served.bytes))).toBe(false);
    expect((await imageBytesFromPage(staff, "staff-report-photo")).byteLength).toBeGreaterThan(100);
    await staffContext.close();
  });

  await test.step("an Open311 client lists it", async () => {
    expect(await open311RequestIds(E2E_BASE_URL, "service_code=road_damage")).toContain(sent.reportId);
  });
});
