// Password hashing, API tokens and encryption of CRM credentials at rest. Pure functions over
// node:crypto; keys and secrets come from the caller (config.ts), never from the environment.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { ScryptOptions } from "node:crypto";

// ---------------------------------------------------------------------------------------------
// Passwords

// One of OWASP's equivalent scrypt settings (N=2^15, r=8, p=3): 32 MiB per hash instead of the
// 128 MiB of N=2^17, so concurrent logins fit on a small self-hosted machine. The parameters
// are stored with each hash, so raising them later only affects new hashes.
const scryptCost = 2 ** 15;
const scryptBlockSize = 8;
const scryptParallelism = 3;
const saltBytes = 16;
const hashBytes = 32;
// Bounds for parameters read back from storage, so a tampered row cannot make a login
// allocate gigabytes or spin for minutes.
const maxScryptMemory = 256 * 1024 * 1024;
const maxParallelism = 16;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  // Node refuses parameters whose memory (128·N·r) reaches maxmem, whose default is exactly 32 MiB.
  const maxmem = 128 * (options.N ?? scryptCost) * (options.r ?? scryptBlockSize) * 2;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url, a fresh random salt each time. */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await scryptAsync(plain, salt, hashBytes, { N: scryptCost, r: scryptBlockSize, p: scryptParallelism });
  return ["scrypt", scryptCost, scryptBlockSize, scryptParallelism, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

const base64url = /^[A-Za-z0-9_-]+$/;

function positiveInt(text: string | undefined, max: number): number | null {
  if (text === undefined || !/^[1-9]\d*$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

/** False for a wrong password and for a stored value that is not one of our hashes. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText, ...extra] = stored.split("$");
  const N = positiveInt(n, maxScryptMemory);
  const blockSize = positiveInt(r, maxScryptMemory);
  const parallelism = positiveInt(p, maxParallelism);
  if (scheme !== "scrypt" || extra.length > 0 || N === null || blockSize === null || parallelism === null) return false;
  if ((N & (N - 1)) !== 0 || N < 2 || 128 * N * blockSize > maxScryptMemory) return false;
  if (saltText === undefined || hashText === undefined || !base64url.test(saltText) || !base64url.test(hashText)) return false;
  const expected = Buffer.from(hashText, "base64url");
  if (expected.length < 16) return false;
  const actual = await scryptAsync(plain, Buffer.from(saltText, "base64url"), expected.length, {
    N,
    r: blockSize,
    p: parallelism,
  });
  return timingSafeEqual(actual, expected);
}

// ---------------------------------------------------------------------------------------------
// API tokens

/** `prefix` + 32 random bytes in base64url (43 characters): 256 bits, shown to the user once. */
export function generateToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/**
 * What is stored and looked up for a token. Tokens carry 256 random bits, so a plain SHA-256
 * cannot be reversed or brute-forced and needs no salt, which keeps lookup by hash possible.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Secrets at rest (CRM tokens)

const cipher = "aes-256-gcm";
const formatVersion = "v1";
const ivBytes = 12;
const tagBytes = 16;

/** A new 256-bit key as 64 hex characters, for the encryption-key setting. */
export function generateSecretKey(): string {
  return randomBytes(32).toString("hex");
}

function keyFromHex(keyHex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(keyHex)) {
    throw new Error("The secret key must be 64 hexadecimal characters (32 bytes).");
  }
  return Buffer.from(keyHex, "hex");
}

/** `v1:iv:tag:ciphertext`, each part base64url; a random IV per call, so equal secrets differ. */
export function encryptSecret(plaintext: string, keyHex: string): string {
  const iv = randomBytes(ivBytes);
  const encryptor = createCipheriv(cipher, keyFromHex(keyHex), iv, { authTagLength: tagBytes });
  const ciphertext = Buffer.concat([encryptor.update(plaintext, "utf8"), encryptor.final()]);
  const tag = encryptor.getAuthTag();
  return [formatVersion, ...[iv, tag, ciphertext].map((part) => part.toString("base64url"))].join(":");
}

const tamperedOrWrongKey = "Could not decrypt the secret: the key is wrong or the stored value was altered.";

export function decryptSecret(payload: string, keyHex: string): string {
  const key = keyFromHex(keyHex);
  const parts = payload.split(":");
  const [version, ivText, tagText, ciphertextText] = parts;
  if (version !== formatVersion) {
    throw new Error(`Could not decrypt the secret: unknown format "${version ?? ""}" (expected ${formatVersion}).`);
  }
  if (parts.length !== 4 || ivText === undefined || tagText === undefined || ciphertextText === undefined) {
    throw new Error(tamperedOrWrongKey);
  }
  // Node's base64 decoder skips characters it does not know, which would hide damage.
  if (![ivText, tagText].every((part) => base64url.test(part)) || !/^[A-Za-z0-9_-]*$/.test(ciphertextText)) {
    throw new Error(tamperedOrWrongKey);
  }
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  // A short tag would be accepted by GCM and weaken authentication: insist on the full 16 bytes.
  if (iv.length !== ivBytes || tag.length !== tagBytes) throw new Error(tamperedOrWrongKey);
  try {
    const decryptor = createDecipheriv(cipher, key, iv, { authTagLength: tagBytes });
    decryptor.setAuthTag(tag);
    return Buffer.concat([decryptor.update(Buffer.from(ciphertextText, "base64url")), decryptor.final()]).toString("utf8");
  } catch {
    throw new Error(tamperedOrWrongKey);
  }
}
