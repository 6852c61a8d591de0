import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'

/** An Ed25519 private key a service signs its calls with, and the id its callees find the public half by. */
export interface SigningKey {
  kid: string
  pem: string
}

/** The public half of a caller's key, by the same id. */
export interface VerifyingKey {
  kid: string
  pem: string
}

// Derived from the public key (like a JWK thumbprint), so that a key id can never be configured wrong.
const keyIdOf = (publicKey: KeyObject) => createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url').slice(0, 16)

function ed25519(key: KeyObject, setting: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`env/${setting} must be an Ed25519 key`)
  return key
}

/** A signing key from its setting `setting`: the base64url PKCS#8 DER of an Ed25519 private key. */
export function signingKeyFrom(encoded: string, setting: string): SigningKey {
  const privateKey = ed25519(createPrivateKey({ key: Buffer.from(encoded, 'base64url'), format: 'der', type: 'pkcs8' }), setting)
  return { kid: keyIdOf(createPublicKey(privateKey)), pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }
}

/** Public keys from their setting `setting`: base64url SPKI DERs of Ed25519 keys, comma-separated (more than one while a key is rotated). */
export function verifyingKeysFrom(encoded: string, setting: string): VerifyingKey[] {
  return encoded.split(',').map((one) => {
    const publicKey = ed25519(createPublicKey({ key: Buffer.from(one, 'base64url'), format: 'der', type: 'spki' }), setting)
    return { kid: keyIdOf(publicKey), pem: publicKey.export({ format: 'pem', type: 'spki' }).toString() }
  })
}

/** A fresh key pair as the two settings hold them. */
export function newKeyPair(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    signingKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
  }
}
