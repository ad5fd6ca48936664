package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java half of the sandbox's {@code pyexpat}, without a Python context: what the JDK parser reports, and above
 * all what it refuses to read. {@link XmlParsingTest} covers the same through the standard library in a sandbox.
 */
class XmlParserBridgeTest {

    private static final String MARKER = "MARKER-7f3c9b-SECRET";
    private static final XmlParserBridge.Options PLAIN = new XmlParserBridge.Options(null, null, false, false);
    private static final XmlParserBridge.Options NAMESPACES = new XmlParserBridge.Options(null, "}", false, false);

    private static EntityServer server;
    private static String base;

    @TempDir
    static Path temp;
    private static Path secret;

    @BeforeAll
    static void startServer() throws IOException {
        server = new EntityServer(MARKER);
        base = server.base();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Path secretFile() throws IOException {
        if (secret == null) {
            secret = Files.writeString(temp.resolve("secret.txt"), MARKER + "\n");
        }
        return secret;
    }

    private static List<String> parse(String document, XmlParserBridge.Options options) {
        return fields(XmlParserBridge.parse(document.getBytes(StandardCharsets.UTF_8), options));
    }

    private static List<String> fields(String result) {
        return Arrays.asList(result.split(String.valueOf(XmlParserBridge.SEPARATOR), -1));
    }

    /** The error record's code, or -1 when the parse succeeded (the flags in the last field say which). */
    private static int errorCode(List<String> fields) {
        if (fields.get(fields.size() - 1).charAt(1) != '!') {
            return -1;
        }
        return Integer.parseInt(fields.get(fields.lastIndexOf("!") + 1));
    }

    @Test
    void eventsInDocumentOrderWithExpatNames() {
        List<String> fields = parse("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <r xmlns="urn:d" xmlns:p="urn:p"><a p:x="1" y="2">t&amp;&#x41;<![CDATA[<c>]]></a><?pi d?><!--k--></r>""",
                NAMESPACES);
        String none = XmlParserBridge.NONE;
        assertEquals(List.of("x", "1.0", "UTF-8", "1",
                "N", none, "urn:d", "N", "p", "urn:p", "S", "urn:d}r", "2", "33", "0",
                "S", "urn:d}a", "2", "50", "2", "urn:p}x", "1", "y", "2",
                "T", "t&A", "[", "T", "<c>", "]", "E", "urn:d}a", "P", "pi", "d", "C", "k", "E", "urn:d}r",
                "n", "p", "n", none, "0.15"), fields);
    }

    @Test
    void withoutNamespaceProcessingNamesAreAsWritten() {
        List<String> fields = parse("<p:r xmlns:p='urn:p' a='1'/>", PLAIN);
        assertEquals(List.of("S", "p:r", "1", "28", "2", "xmlns:p", "urn:p", "a", "1", "E", "p:r", "0.2"), fields);
    }

    @Test
    void externalFileEntityIsNeverRead() throws IOException {
        String uri = secretFile().toUri().toString();
        List<String> fields = parse("<!DOCTYPE r [<!ENTITY x SYSTEM \"" + uri + "\">]><r>a&x;b</r>", PLAIN);
        assertFalse(String.join("|", fields).contains(MARKER), fields.toString());
        int reference = fields.indexOf("X");
        assertEquals(List.of("X", "x", uri), fields.subList(reference, reference + 3));
        assertEquals(-1, errorCode(fields));

        List<String> inAttribute = parse("<!DOCTYPE r [<!ENTITY x SYSTEM \"" + uri + "\">]><r a='&x;'/>", PLAIN);
        assertFalse(String.join("|", inAttribute).contains(MARKER));
        assertEquals(16, errorCode(inAttribute));
    }

    @Test
    void nothingIsFetchedOverTheNetwork() {
        int before = server.requests();
        List<String> dtd = parse("<!DOCTYPE r SYSTEM \"" + base + "r.dtd\"><r>&leak;</r>", PLAIN);
        List<String> entity = parse("<!DOCTYPE r [<!ENTITY x SYSTEM \"" + base + "x\">]><r>&x;</r>", PLAIN);
        List<String> parameter = parse("<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + base + "p\"> %p;]><r>x</r>", PLAIN);
        List<String> xinclude = parse("<r xmlns:xi='http://www.w3.org/2001/XInclude'><xi:include href='" + base
                + "i' parse='text'/></r>", NAMESPACES);
        assertEquals(before, server.requests(), "the parser made an HTTP request");
        for (List<String> fields : List.of(dtd, entity, parameter, xinclude)) {
            assertFalse(String.join("|", fields).contains(MARKER), fields.toString());
            assertEquals(-1, errorCode(fields), fields.toString());
        }
        // the DTD was not read, so &leak; is an undeclared entity the parser skipped (expat's SkippedEntityHandler)
        int skipped = dtd.indexOf("K");
        assertEquals(List.of("K", "leak", "0"), dtd.subList(skipped, skipped + 3));
    }

    @Test
    void systemIdentifiersAreReportedAsWritten() {
        List<String> fields = parse("<!DOCTYPE r SYSTEM 'r.dtd' [<!ENTITY x SYSTEM 'rel/x.txt'>]><r/>", PLAIN);
        assertTrue(fields.contains("rel/x.txt"), fields.toString());
        assertTrue(fields.contains("r.dtd"), fields.toString());
        assertFalse(String.join("|", fields).contains("file:"), "resolved against the working directory: " + fields);
    }

    @Test
    void billionLaughsFailsFast() {
        StringBuilder document = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i < 10; i++) {
            document.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">\n");
        }
        document.append("]>\n<lolz>&lol9;</lolz>\n");
        long start = System.nanoTime();
        List<String> fields = parse(document.toString(), PLAIN);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(43, errorCode(fields), fields.subList(Math.max(0, fields.size() - 6), fields.size()).toString());
        assertTrue(fields.get(fields.size() - 2).contains("entity expansions"), fields.get(fields.size() - 2));
        assertTrue(millis < 5_000, "took " + millis + " ms");
        assertTrue(String.join("", fields).length() < 100_000, "text before the error was kept");
    }

    @Test
    void quadraticBlowupIsBounded() {
        String document = "<!DOCTYPE r [<!ENTITY a \"" + "A".repeat(100_000) + "\">]><r>" + "&a;".repeat(1_000)
                + "</r>";
        List<String> fields = parse(document, PLAIN);
        assertEquals(43, errorCode(fields));
        assertTrue(fields.get(fields.size() - 2).contains("accumulated size of entities"),
                fields.get(fields.size() - 2));
    }

    @Test
    void internalEntitiesExpandWithinBounds() {
        List<String> fields = parse("<!DOCTYPE r [<!ENTITY co \"ACME &amp; Co\">]><r>&co;, &co;</r>", PLAIN);
        int text = fields.indexOf("T");
        assertEquals("ACME & Co, ACME & Co", fields.get(text + 1));
    }

    @Test
    void controlCharactersFromXml11AreEscaped() {
        String result = XmlParserBridge.parse("<?xml version=\"1.1\"?><a>&#1;&#2;&#3;</a>", PLAIN);
        assertTrue(result.endsWith("\u00011.4"), result);
        assertTrue(result.contains("\u0003a\u0003b\u0003c"), result);
    }

    @Test
    void encodingsFromTheDocumentOrTheCaller() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>café</a>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(fields(XmlParserBridge.parse(latin1, PLAIN)).contains("café"));
        byte[] utf16 = "<a>ü☃</a>".getBytes(StandardCharsets.UTF_16);
        assertTrue(fields(XmlParserBridge.parse(utf16, PLAIN)).contains("ü☃"));
        byte[] undeclared = "<a>café</a>".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(fields(XmlParserBridge.parse(undeclared,
                new XmlParserBridge.Options("ISO-8859-1", null, false, false))).contains("café"));
        assertTrue(fields(XmlParserBridge.parse("\uFEFF<a>bom</a>", PLAIN)).contains("bom"));
    }

    @Test
    void malformedDocumentsGiveExpatCodesAndPositions() {
        assertEquals(7, errorCode(parse("<a>\n<b>\n</a>", PLAIN)));
        assertEquals(3, errorCode(parse("<a><b>", PLAIN)));
        assertEquals(3, errorCode(parse("", PLAIN)));
        assertEquals(9, errorCode(parse("<a/><b/>", PLAIN)));
        assertEquals(8, errorCode(parse("<a x='1' x='2'/>", PLAIN)));
        assertEquals(11, errorCode(parse("<a>&nope;</a>", PLAIN)));
        assertEquals(27, errorCode(parse("<a><p:b/></a>", NAMESPACES)));
        assertEquals(14, errorCode(parse("<a>&#0;</a>", PLAIN)));
        List<String> mismatched = parse("<a>\n<b>\n</a>", PLAIN);
        int error = mismatched.indexOf("!");
        assertEquals("3", mismatched.get(error + 2), mismatched.toString());
    }
}
