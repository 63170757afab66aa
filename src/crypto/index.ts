export { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
export { createSecretBox, keyIdOf, type SecretBox } from './secret-box.ts';
export { constantTimeEqual, randomToken, sha256 } from './tokens.ts';
export { assertStrongPassword, MIN_PASSWORD_LENGTH, type PasswordContext } from './password-policy.ts';
