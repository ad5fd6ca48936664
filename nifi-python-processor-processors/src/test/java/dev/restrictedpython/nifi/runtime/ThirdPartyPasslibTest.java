package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** passlib 1.7.4's hashes from a statement (pure-Python backends). */
class ThirdPartyPasslibTest {

    @Test
    void pbkdf2AndSha512Crypt() throws Exception {
        Map<String, Object> item = ThirdPartyTestSupport.runOne("""
                from passlib.hash import pbkdf2_sha256, sha512_crypt, bcrypt
                pbkdf2 = pbkdf2_sha256.using(rounds=1000).hash("s3cret")
                sha512 = sha512_crypt.using(rounds=5000).hash("s3cret")
                known = sha512_crypt.using(rounds=5000, salt="saltsalt").hash("s3cret")
                try:
                    bcrypt.hash("s3cret")
                    bcrypt_result = "hashed"
                except Exception as error:
                    bcrypt_result = type(error).__name__ + ": " + str(error)
                return [{
                    "pbkdf2_prefix": pbkdf2.split("$")[1],
                    "pbkdf2_ok": pbkdf2_sha256.verify("s3cret", pbkdf2),
                    "pbkdf2_bad": pbkdf2_sha256.verify("nope", pbkdf2),
                    "sha512_prefix": sha512[:3],
                    "sha512_ok": sha512_crypt.verify("s3cret", sha512),
                    "known": known,
                    "unicode": pbkdf2_sha256.verify("pässwörd", pbkdf2_sha256.using(rounds=1000).hash("pässwörd")),
                    "bcrypt": bcrypt_result,
                }]
                """);
        assertEquals("pbkdf2-sha256", item.get("pbkdf2_prefix"));
        assertEquals(true, item.get("pbkdf2_ok"));
        assertEquals(false, item.get("pbkdf2_bad"));
        assertEquals("$6$", item.get("sha512_prefix"));
        assertEquals(true, item.get("sha512_ok"));
        // the hash glibc's crypt(3) gives for "s3cret" with salt "saltsalt" (5000 rounds, the default, is implied)
        assertEquals("$6$saltsalt$As4wrv0kZlfch1du9WeH7qhskyLriQWySXrZzynnvi46nFnNxjdpl6ksRegrrKexvhIa/Iny8S8uF3fVWTMuC1",
                item.get("known"));
        assertEquals(true, item.get("unicode"));
        assertTrue(((String) item.get("bcrypt")).startsWith("MissingBackendError"), (String) item.get("bcrypt"));
    }
}
