"""A software passkey for HTTP tests: real WebAuthn answers, signed with a real P-256 key.

It does what a browser and a phone do together: builds clientDataJSON (type, challenge,
origin), authenticator data (RP id hash, flags, sign count), a "none" attestation for
create() and an ES256 signature for get(). Nothing of the app is patched: the server's
py_webauthn checks these answers exactly as it checks a browser's.
"""

import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

UP, UV, AT = 0x01, 0x04, 0x40


class SoftPasskey:
    def __init__(self, rp_id="localhost", origin="http://localhost", user_verified=True):
        self.rp_id, self.origin, self.user_verified = rp_id, origin, user_verified
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.sign_count = 0
        self.user_handle = None

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def _client_data(self, kind, challenge, origin):
        return json.dumps({"type": kind, "challenge": challenge,
                           "origin": origin or self.origin, "crossOrigin": False}).encode()

    def _auth_data(self, flags, extra=b""):
        flags |= UP | (UV if self.user_verified else 0)
        return (hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags])
                + struct.pack(">I", self.sign_count) + extra)

    def _cose_key(self):
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})

    def create(self, options: dict, origin: str | None = None) -> dict:
        """The answer to navigator.credentials.create(options)."""
        self.user_handle = options["user"]["id"]
        attested = (b"\x00" * 16 + struct.pack(">H", len(self.credential_id))
                    + self.credential_id + self._cose_key())
        auth_data = self._auth_data(AT, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {"id": self.id, "rawId": self.id, "type": "public-key",
                "response": {"clientDataJSON": bytes_to_base64url(client_data),
                             "attestationObject": bytes_to_base64url(attestation),
                             "transports": ["internal"]},
                "clientExtensionResults": {}}

    def get(self, options: dict, origin: str | None = None) -> dict:
        """The answer to navigator.credentials.get(options): a signature over the challenge."""
        self.sign_count += 1
        auth_data = self._auth_data(0)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {"id": self.id, "rawId": self.id, "type": "public-key",
                "response": {"clientDataJSON": bytes_to_base64url(client_data),
                             "authenticatorData": bytes_to_base64url(auth_data),
                             "signature": bytes_to_base64url(signature),
                             "userHandle": self.user_handle},
                "clientExtensionResults": {}}


def challenge_of(options: dict) -> bytes:
    return base64url_to_bytes(options["challenge"])
