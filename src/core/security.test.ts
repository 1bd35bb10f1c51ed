import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  generateSecretKey,
  generateToken,
  hashPassword,
  hashToken,
  verifyPassword,
} from "./security.ts";

describe("passwords", () => {
  it("hashes in the scrypt$N$r$p$salt$hash format and verifies", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("handles empty and non-ASCII passwords", async () => {
    const empty = await hashPassword("");
    expect(await verifyPassword("", empty)).toBe(true);
    expect(await verifyPassword(" ", empty)).toBe(false);
    const unicode = await hashPassword("pässwörd🔑");
    expect(await verifyPassword("pässwörd🔑", unicode)).toBe(true);
    expect(await verifyPassword("passwörd🔑", unicode)).toBe(false);
  });

  it("verifies hashes made with other parameters, as stored", async () => {
    // A 64-byte hash with N=1024, p=1, made by node:crypto directly rather than by hashPassword.
    const { scryptSync } = await import("node:crypto");
    const salt = Buffer.from("saltsaltsaltsalt");
    const hash = scryptSync("pw", salt, 64, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString("base64url")}$${hash.toString("base64url")}`;
    expect(await verifyPassword("pw", stored)).toBe(true);
    expect(await verifyPassword("pw2", stored)).toBe(false);
  });

  it("accepts parameters up to 256 MiB", async () => {
    // 128 * 2^16 * 32 = 256 MiB: allowed, and the wrong hash is simply not equal.
    expect(
      await verifyPassword("pw", "scrypt$65536$32$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ).toBe(false);
  });

  it.each([
    [""],
    ["not a hash"],
    ["bcrypt$10$abc$def"],
    ["scrypt$32768$8$3$c2FsdA"],
    ["scrypt$32768$8$3$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$extra"],
    ["scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], // N not a power of two
    ["scrypt$1$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["scrypt$524288$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], // 512 MiB
    ["scrypt$1024$4096$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], // 512 MiB
    ["scrypt$4294967296$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["scrypt$1024$8$99$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], // p too large
    ["scrypt$01024$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["scrypt$-1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["scrypt$1024$8$1$salt!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAA"], // hash too short to mean anything
    ["scrypt$1024$8$1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("refuses the stored value %j", async (stored) => {
    expect(await verifyPassword("pw", stored)).toBe(false);
  });
});

describe("tokens", () => {
  it("prefixes 32 random bytes in base64url", () => {
    const token = generateToken("csk_");
    expect(token).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), "base64url")).toHaveLength(32);
    expect(generateToken("")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("never repeats", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken("t_")));
    expect(tokens.size).toBe(1000);
  });

  it("hashes with SHA-256 as hex", () => {
    expect(hashToken("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const token = generateToken("csk_");
    expect(hashToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("secrets", () => {
  const key = generateSecretKey();
  const otherKey = generateSecretKey();

  it("generates 64-hex keys, each different", () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(otherKey).not.toBe(key);
  });

  it("encrypts to v1:iv:tag:ciphertext and decrypts", () => {
    const payload = encryptSecret("pat-na1-secret-token", key);
    const [version, iv, tag, ciphertext, ...rest] = payload.split(":");
    expect(version).toBe("v1");
    expect(Buffer.from(iv ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(tag ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(ciphertext ?? "", "base64url")).toHaveLength("pat-na1-secret-token".length);
    expect(rest).toEqual([]);
    expect(payload).not.toContain("secret-token");
    expect(decryptSecret(payload, key)).toBe("pat-na1-secret-token");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("accepts upper-case hex keys", () => {
    expect(decryptSecret(encryptSecret("x", key.toUpperCase()), key)).toBe("x");
  });

  it("round-trips any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (plaintext) => {
        expect(decryptSecret(encryptSecret(plaintext, key), key)).toBe(plaintext);
      }),
      { numRuns: 200 },
    );
  });

  const tampered = "Could not decrypt the secret: the key is wrong or the stored value was altered.";

  it("refuses the wrong key", () => {
    expect(() => decryptSecret(encryptSecret("secret", key), otherKey)).toThrowError(tampered);
  });

  it("detects any flipped bit", () => {
    const payload = encryptSecret("a secret worth keeping", key);
    const parts = payload.split(":");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (part, byteSeed, bit) => {
        const bytes = Buffer.from(parts[part] ?? "", "base64url");
        const at = byteSeed % bytes.length;
        bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
        const altered = parts.map((p, i) => (i === part ? bytes.toString("base64url") : p)).join(":");
        expect(() => decryptSecret(altered, key)).toThrowError(tampered);
      }),
    );
  });

  it.each([
    ["", 'unknown format "" (expected v1)'],
    ["v2:a:b:c", 'unknown format "v2" (expected v1)'],
    ["plain-text-token", 'unknown format "plain-text-token" (expected v1)'],
    ["v1:abc", tampered],
    ["v1:a:b:c:d", tampered],
    ["v1:!!!!!!!!!!!!!!!!:AAAAAAAAAAAAAAAAAAAAAA:AAAA", tampered],
    ["v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AA AA", tampered],
  ])("refuses the payload %j", (payload, message) => {
    expect(() => decryptSecret(payload, key)).toThrowError(message);
  });

  it("refuses a shortened IV or tag", () => {
    const [version, iv, tag, ciphertext] = encryptSecret("secret", key).split(":");
    const shortTag = Buffer.from(tag ?? "", "base64url").subarray(0, 4).toString("base64url");
    const shortIv = Buffer.from(iv ?? "", "base64url").subarray(0, 8).toString("base64url");
    expect(() => decryptSecret([version, iv, shortTag, ciphertext].join(":"), key)).toThrowError(tampered);
    expect(() => decryptSecret([version, shortIv, tag, ciphertext].join(":"), key)).toThrowError(tampered);
  });

  it.each([[""], ["abc"], ["zz".repeat(32)], ["00".repeat(31)], ["00".repeat(33)]])("refuses the key %j", (badKey) => {
    const message = "The secret key must be 64 hexadecimal characters (32 bytes).";
    expect(() => encryptSecret("x", badKey)).toThrowError(message);
    expect(() => decryptSecret("v1:a:b:c", badKey)).toThrowError(message);
  });
});
