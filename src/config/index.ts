export { ConfigError, decodeKey, type Env, envSchema, parseEnv } from './env.ts';
export { loadSecretKey, type SecretKeySource } from './key-file.ts';
