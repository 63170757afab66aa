export { ConfigError, decodeKey, type Env, envSchema, parseEnv, publicUrl } from './env.ts';
export { loadSecretKey, type SecretKeySource } from './key-file.ts';
