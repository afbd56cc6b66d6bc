# Signs stdin with the key classes the moto emulator's KMS uses (ECC_NIST_P256 / ECDSA_SHA_256 and
# RSA_2048 / RSASSA_PSS_SHA_256), printing each signature and DER public key: a cross-check that
# src/backup/signature.ts verifies what a KMS implementation produced, not only what node signed.
import sys, json, base64, hashlib
from moto.kms.utils import ECDSAPrivateKey, RSAPrivateKey
msg = sys.stdin.buffer.read()
out = {}
ec = ECDSAPrivateKey("ECC_NIST_P256")
out["ec"] = {"sig": base64.b64encode(ec.sign(msg, "ECDSA_SHA_256")).decode(), "pub": base64.b64encode(ec.public_key()).decode()}
rsa = RSAPrivateKey(2048)
out["rsa"] = {"sig": base64.b64encode(rsa.sign(msg, "RSASSA_PSS_SHA_256")).decode(), "pub": base64.b64encode(rsa.public_key()).decode()}
print(json.dumps(out))
