package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * python-jose 3.3.0 with its pure-Python backends (rsa, ecdsa, pyasn1): the seed's [cryptography] extra is a native
 * extension that a context without native access cannot load. RSA and EC results are checked against the JDK's
 * own signature implementations, in both directions.
 */
class ThirdPartyJoseTest {

    @Test
    void jwtJwsJwkWithHmacRsaAndEc() throws Exception {
        KeyPair rsa = generate("RSA", null);
        KeyPair ec = generate("EC", "secp256r1");
        String javaToken = javaSignedToken(rsa);
        Map<String, Object> item = ThirdPartyTestSupport.runOne("""
                from jose import jwt, jws, jwk, JWTError
                from jose.constants import ALGORITHMS
                from jose.utils import base64url_decode
                import jose.backends
                token = jwt.encode({"sub": "alice", "admin": True}, "secret", algorithm=ALGORITHMS.HS256)
                claims = jwt.decode(token, "secret", algorithms=["HS256"])
                try:
                    jwt.decode(token, "wrong", algorithms=["HS256"])
                    bad = "accepted"
                except JWTError as error:
                    bad = type(error).__name__
                signed = jws.sign({"a": 1}, "secret", algorithm="HS512")
                verified = jws.verify(signed, "secret", algorithms=["HS512"])
                rsa_private, rsa_public = %s, %s
                ec_private, ec_public = %s, %s
                return [{
                    "sub": claims["sub"], "admin": claims["admin"], "bad": bad,
                    "jws": verified.decode(), "header": jwt.get_unverified_header(token)["alg"],
                    "jwk": jwk.construct("secret", algorithm="HS256").to_dict()["kty"],
                    "segment": base64url_decode(token.split(".")[0].encode()).decode(),
                    "rsa_token": jwt.encode({"sub": "bob"}, rsa_private, algorithm="RS256"),
                    "ec_token": jwt.encode({"sub": "carol"}, ec_private, algorithm="ES256"),
                    "java_token_sub": jwt.decode("%s", rsa_public, algorithms=["RS256"])["sub"],
                    "rsa_key": type(jwk.construct(rsa_public, "RS256")).__name__,
                    "ec_key": type(jwk.construct(ec_public, "ES256")).__name__,
                }]
                """.formatted(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()),
                pem("PUBLIC KEY", rsa.getPublic().getEncoded()),
                pem("PRIVATE KEY", ec.getPrivate().getEncoded()),
                pem("PUBLIC KEY", ec.getPublic().getEncoded()), javaToken));
        assertEquals("alice", item.get("sub"));
        assertEquals(true, item.get("admin"));
        assertEquals("JWTError", item.get("bad"));
        assertEquals("{\"a\":1}", item.get("jws"));
        assertEquals("HS256", item.get("header"));
        assertEquals("oct", item.get("jwk"));
        assertTrue(((String) item.get("segment")).contains("\"alg\":\"HS256\""), item.toString());
        assertTrue(verifies("SHA256withRSA", rsa.getPublic(), (String) item.get("rsa_token")), "RS256 by the JDK");
        assertTrue(verifies("SHA256withECDSAinP1363Format", ec.getPublic(), (String) item.get("ec_token")),
                "ES256 by the JDK");
        assertEquals("dave", item.get("java_token_sub"));
        assertEquals("RSAKey", item.get("rsa_key"));
        assertEquals("ECDSAECKey", item.get("ec_key"));
    }

    private static KeyPair generate(String algorithm, String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (curve == null) {
            generator.initialize(2048);
        } else {
            generator.initialize(new ECGenParameterSpec(curve));
        }
        return generator.generateKeyPair();
    }

    /** A Python string literal holding the key in PEM. */
    private static String pem(String type, byte[] der) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder literal = new StringBuilder("\"-----BEGIN " + type + "-----\\n");
        for (int start = 0; start < base64.length(); start += 64) {
            literal.append(base64, start, Math.min(base64.length(), start + 64)).append("\\n");
        }
        return literal.append("-----END ").append(type).append("-----\\n\"").toString();
    }

    private static String javaSignedToken(KeyPair rsa) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String input = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("{\"sub\":\"dave\"}".getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(rsa.getPrivate());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + url.encodeToString(signature.sign());
    }

    private static boolean verifies(String algorithm, PublicKey key, String token) throws Exception {
        int lastDot = token.lastIndexOf('.');
        Signature signature = Signature.getInstance(algorithm);
        signature.initVerify(key);
        signature.update(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(token.substring(lastDot + 1)));
    }
}
