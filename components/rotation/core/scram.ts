/**
 * PostgreSQL SCRAM-SHA-256 verifier computed on the client (RFC 5802/7677), so the plain
 * password never reaches the server's statement log when we run `ALTER ROLE ... PASSWORD`.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

const ITERATIONS = 4096;

export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16)): string {
  // SASLprep leaves printable ASCII unchanged; generated passwords are printable ASCII only.
  if (!/^[\x20-\x7e]*$/.test(password))
    throw new Error("password must be printable ASCII to hash it client-side");
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
