import { expect, test } from "../fixtures";

test("[HEALTH]: /api/health answers 200 with the database ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe("ok");
  expect(body.database.status).toBe("ok");
  expect(body.database.embedded).toBe(true);
});
