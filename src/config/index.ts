export { ConfigError, decodeKey, type Env, envSchema, parseEnv, publicUrl } from './env.ts';
export { loadSecretKey, type SecretKeySource } from './key-file.ts';
export {
  ensurePrivateDir,
  ensurePrivateFile,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  permissionWarnings,
} from './private-files.ts';
