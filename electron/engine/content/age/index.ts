/** age v1 (https://age-encryption.org/v1) on node:crypto: X25519 and scrypt recipients, STREAM payload. */
export { generateIdentity, recipientOf, parseIdentity, parseIdentities } from './keys.js';
export { parseHeader, tryParseHeader, type ParsedHeader, type Stanza } from './format.js';
export { unwrapFileKey, DEFAULT_SCRYPT_WORK_FACTOR, MAX_SCRYPT_WORK_FACTOR, type AgeIdentity, type AgeRecipient } from './stanzas.js';
export { decryptRange, PayloadReader, ciphertextSize, CHUNK_SIZE as AGE_CHUNK_SIZE, type ReadAt } from './payload.js';
export { createEncryptStream, createDecryptStream } from './streams.js';
export { encrypt, encryptParts, decrypt, openPayload } from './age.js';
export { SequentialDecryptor } from './sequential.js';
