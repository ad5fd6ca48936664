package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code xml.etree}, {@code xml.dom.minidom} and {@code xml.sax} inside a real sandbox (native access off), over the
 * sandbox's {@code pyexpat}. One context runs every case (contexts are slow to build): the statement picks its
 * case from the {@code case} attribute and takes its documents from the other attributes.
 */
class XmlParsingTest {

    private static final String MARKER = "MARKER-51d0e2-SECRET";

    private static final String STATEMENT = """
            from xml import etree, dom, sax, parsers
            import io, time
            ET = etree.ElementTree
            case = ATTRIBUTES["case"]
            doc = ATTRIBUTES.get("doc", "")
            out = {"case": case}

            def outcome(parse):
                try:
                    return "ok:" + parse()
                except ET.ParseError as error:
                    return "error:%d:%d:%s" % (error.code, error.position[0], error)
                except parsers.expat.ExpatError as error:
                    return "error:%d:%d:%s" % (error.code, error.lineno, error)
                except sax.SAXParseException as error:
                    return "error:sax:%d:%s" % (error.getLineNumber(), error.getMessage())

            class Collector(sax.handler.ContentHandler, sax.handler.LexicalHandler):
                def startDocument(self):
                    self.events = []
                def startElement(self, name, attrs):
                    self.events.append(["start", name, dict(attrs.items())])
                def endElement(self, name):
                    self.events.append(["end", name])
                def startElementNS(self, name, qname, attrs):
                    self.events.append(["start", list(name), sorted("%s %s=%s" % (k[0], k[1], v) for k, v in attrs.items())])
                def endElementNS(self, name, qname):
                    self.events.append(["end", list(name)])
                def startPrefixMapping(self, prefix, uri):
                    self.events.append(["ns", prefix, uri])
                def characters(self, content):
                    if self.events and self.events[-1][0] == "text":
                        self.events[-1][1] += content
                    else:
                        self.events.append(["text", content])
                def processingInstruction(self, target, data):
                    self.events.append(["pi", target, data])
                def comment(self, content):
                    self.events.append(["comment", content])
                def startCDATA(self):
                    self.events.append(["cdata"])
                def endCDATA(self):
                    self.events.append(["/cdata"])
                def text(self):
                    return "".join(event[1] for event in self.events if event[0] == "text")

            if case == "etree":
                root = ET.fromstring(doc)
                books = root.findall("{urn:books}book")
                out["root"] = root.tag
                out["ids"] = [book.get("id") for book in books]
                out["rating"] = books[0].get("{urn:extra}rating")
                out["attributes"] = dict(books[0].attrib)
                out["titles"] = [book.findtext("{urn:books}title") for book in books]
                out["tags"] = [element.tag for element in root.iter()]
                out["cdata"] = root.find(".//{urn:books}note").text
                out["entities"] = root.find(".//{urn:books}by").text
                out["tail"] = books[1][0].tail
                text = ET.tostring(root, encoding="unicode")
                out["roundtrip"] = ET.tostring(ET.fromstring(text), encoding="unicode") == text
                out["serialized"] = ET.tostring(ET.fromstring("<a x='1'><b>t &amp; u</b>tail</a>"), encoding="unicode")
                builder = ET.TreeBuilder(insert_comments=True, insert_pis=True)
                parser = ET.XMLParser(target=builder)
                parser.feed(doc)
                tree = parser.close()
                out["comments_pis"] = [["comment", e.text] if e.tag is ET.Comment else ["pi", e.text]
                                       for e in tree.iter() if e.tag is ET.Comment or e.tag is ET.PI]
                events = []
                for event, item in ET.iterparse(io.BytesIO(doc.encode("utf-8")), events=("start", "end", "start-ns", "end-ns")):
                    events.append([event, item.tag if event in ("start", "end") else list(item) if item else None])
                out["iterparse"] = events[:6]
                out["iterparse_count"] = len(events)
                pull = ET.XMLPullParser(events=("end",))
                pull.feed(doc.encode("utf-8"))
                out["pull_before_close"] = [element.tag for event, element in pull.read_events()][-2:]
                pull.close()
                pull = ET.XMLPullParser(events=("end",))
                for start in range(0, len(doc), 37):
                    pull.feed(doc[start:start + 37])
                pull.close()
                out["pull_chunked"] = len(list(pull.read_events()))
                out["utf8"] = ET.fromstring("<a>naïve ☃ café – ü</a>".encode("utf-8")).text
                out["latin1"] = ET.fromstring('<?xml version="1.0" encoding="ISO-8859-1"?><a>café</a>'.encode("latin-1")).text
                out["utf16"] = ET.fromstring("<a>ü☃</a>".encode("utf-16")).text
                out["str_declared_latin1"] = ET.fromstring('<?xml version="1.0" encoding="ISO-8859-1"?><a>☃</a>').text
                out["xml11_control"] = ET.fromstring('<?xml version="1.1"?><a>&#1;x</a>').text
                out["malformed"] = outcome(lambda: ET.fromstring("<a>\\n  <b>\\n</a>").tag)
                out["undefined"] = outcome(lambda: ET.fromstring("<a>&nope;</a>").tag)
                custom = ET.XMLParser()
                custom.entity["who"] = "World"
                custom.feed('<!DOCTYPE a SYSTEM "a.dtd"><a>Hello &who;</a>')
                out["custom_entity"] = custom.close().text
                doctypes = []
                class DoctypeTarget(ET.TreeBuilder):
                    def doctype(self, name, pubid, system):
                        doctypes.append([name, pubid, system])
                ET.fromstring('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                              '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html/>',
                              ET.XMLParser(target=DoctypeTarget()))
                out["doctype"] = doctypes

            elif case == "minidom":
                document = dom.minidom.parseString(doc)
                books = document.getElementsByTagName("book")
                out["root"] = [document.documentElement.tagName, document.documentElement.namespaceURI]
                out["ids"] = [book.getAttribute("id") for book in books]
                out["rating"] = books[0].getAttributeNS("urn:extra", "rating")
                out["titles"] = [title.firstChild.data for title in document.getElementsByTagName("title")]
                note = document.getElementsByTagName("note")[0].firstChild
                out["cdata"] = [note.nodeType == note.CDATA_SECTION_NODE, note.data]
                out["entities"] = document.getElementsByTagName("by")[0].firstChild.data
                out["text_nodes"] = [node.nodeType == node.TEXT_NODE for node in books[1].childNodes]
                out["tail"] = books[1].childNodes[1].data
                out["comments"] = [node.data for node in document.childNodes if node.nodeType == node.COMMENT_NODE]
                out["pis"] = [[node.target, node.data] for node in books[1].childNodes
                              if node.nodeType == node.PROCESSING_INSTRUCTION_NODE]
                out["doctype"] = [document.doctype.name, document.doctype.internalSubset]
                out["toxml"] = dom.minidom.parseString(b"<r a='1'><!--c--><b>x &lt; y</b></r>").documentElement.toxml()
                ids = dom.minidom.parseString('<!DOCTYPE r [<!ATTLIST e key ID #IMPLIED>]><r><e key="k1">one</e></r>')
                out["by_id"] = ids.getElementById("k1").firstChild.data
                out["malformed"] = outcome(lambda: dom.minidom.parseString("<a><b></a>").documentElement.tagName)

            elif case == "sax":
                handler = Collector()
                sax.parseString(doc.encode("utf-8"), handler)
                out["events"] = [event for event in handler.events if event[0] != "text" or event[1].strip()]
                reader = sax.make_parser()
                reader.setFeature(sax.handler.feature_namespaces, True)
                handler = Collector()
                reader.setContentHandler(handler)
                reader.setProperty(sax.handler.property_lexical_handler, handler)
                reader.parse(io.BytesIO(doc.encode("utf-8")))
                out["ns_events"] = [event for event in handler.events if event[0] != "text" or event[1].strip()][:8]
                out["lexical"] = [event for event in handler.events if event[0] in ("comment", "cdata", "/cdata")]
                handler = Collector()
                sax.parseString("<r>&amp;&lt;&#x41;&#66;</r>", handler)
                out["entities"] = handler.text()
                out["malformed"] = outcome(lambda: sax.parseString(b"<a>\\n<b></a>", Collector()) or "")

            elif case == "expat":
                expat = parsers.expat
                calls = []
                parser = expat.ParserCreate(namespace_separator="}")
                parser.ordered_attributes = True
                parser.StartElementHandler = lambda name, attributes: calls.append(["start", name, attributes])
                parser.EndElementHandler = lambda name: calls.append(["end", name])
                parser.CharacterDataHandler = lambda data: calls.append(["data", data])
                parser.StartNamespaceDeclHandler = lambda prefix, uri: calls.append(["ns", prefix, uri])
                parser.EndNamespaceDeclHandler = lambda prefix: calls.append(["/ns", prefix])
                parser.XmlDeclHandler = lambda version, encoding, standalone: calls.append(["decl", version, encoding, standalone])
                parser.Parse('<?xml version="1.0"?><r xmlns="urn:r" xmlns:q="urn:q" q:a="1" b="2">x</r>', True)
                out["calls"] = calls
                out["info"] = [list(expat.version_info), expat.EXPAT_VERSION, expat.native_encoding,
                               expat.ErrorString(expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH]),
                               expat.model.XML_CTYPE_SEQ, expat.error is expat.ExpatError]
                broken = expat.ParserCreate()
                out["error"] = outcome(lambda: str(broken.Parse(b"<a>\\n<b/>\\n<c></a>", True)))
                out["error_state"] = [broken.ErrorCode, broken.ErrorLineNumber]
                late = expat.ParserCreate()
                late.Parse(b"<a/>", True)
                out["after_final"] = outcome(lambda: str(late.Parse(b"", True)))

            elif case == "security":
                for name in ("xxe_file", "xxe_http", "dtd_http", "pe_http", "xxe_attribute"):
                    document = ATTRIBUTES[name]
                    out[name + "_etree"] = outcome(lambda: "".join(ET.fromstring(document).itertext()))
                    out[name + "_minidom"] = outcome(lambda: dom.minidom.parseString(document).documentElement.toxml())
                    handler = Collector()
                    out[name + "_sax"] = outcome(lambda: sax.parseString(document.encode("utf-8"), handler) or handler.text())
                    reader = sax.make_parser()
                    reader.setFeature(sax.handler.feature_external_ges, True)
                    reader.setContentHandler(handler)
                    out[name + "_sax_ges"] = outcome(lambda: reader.parse(io.BytesIO(document.encode("utf-8"))) or handler.text())
                for name in ("laughs", "quadratic"):
                    started = time.time()
                    out[name] = outcome(lambda: ET.fromstring(ATTRIBUTES[name]).tag)
                    out[name + "_seconds"] = time.time() - started

            elif case == "large":
                rows = []
                for i in range(7000):
                    rows.append('  <record id="%d" type="t%d">\\n    <name>Name number %d</name>\\n'
                                '    <city>City &amp; Town</city>\\n    <amount currency="EUR">%d.50</amount>\\n'
                                '  </record>\\n' % (i, i % 7, i, i))
                data = ('<?xml version="1.0" encoding="UTF-8"?>\\n<records>\\n' + "".join(rows) + "</records>\\n").encode("utf-8")
                out["bytes"] = len(data)
                started = time.time()
                root = ET.fromstring(data)
                out["etree_seconds"] = time.time() - started
                out["records"] = len(root.findall("record"))
                out["last_city"] = root[-1].findtext("city")
                started = time.time()
                handler = Collector()
                sax.parseString(data, handler)
                out["sax_seconds"] = time.time() - started
                out["sax_starts"] = len([event for event in handler.events if event[0] == "start"])
            return [out]
            """;

    private static final String DOCUMENT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE catalog [<!ENTITY pub "Publisher &amp; Co">]>
            <!-- top comment -->
            <catalog xmlns="urn:books" xmlns:x="urn:extra">
              <book id="b1" x:rating="5">
                <title>Dune</title>
                <note><![CDATA[<not markup> & stuff]]></note>
                <by>&pub; &#x41;&#66;</by>
              </book>
              <book id="b2"><title>Émile – ü</title>tail-text<?render fast?><!-- inner --></book>
            </catalog>
            """.strip();

    private static EntityServer server;
    private static PythonStatement statement;

    @TempDir
    static Path temp;

    @BeforeAll
    static void compile() throws Exception {
        server = new EntityServer(MARKER);
        statement = PythonStatement.compile(STATEMENT, new SandboxSettings(false,
                new RunLimits(Duration.ofSeconds(300), 16L << 30)));
    }

    @AfterAll
    static void close() {
        if (statement != null) {
            statement.close();
        }
        server.close();
    }

    private static Map<String, Object> run(Map<String, String> attributes) throws StatementException {
        List<Map<String, Object>> out = statement.runBulk(List.of(), new RunInput(null, attributes, Map.of()),
                (level, message, line) -> { });
        return out.get(0);
    }

    @Test
    void elementTree() throws Exception {
        Map<String, Object> out = run(Map.of("case", "etree", "doc", DOCUMENT));
        assertEquals("{urn:books}catalog", out.get("root"));
        assertEquals(List.of("b1", "b2"), out.get("ids"));
        assertEquals("5", out.get("rating"));
        assertEquals(Map.of("id", "b1", "{urn:extra}rating", "5"), out.get("attributes"));
        assertEquals(List.of("Dune", "Émile – ü"), out.get("titles"));
        assertEquals(List.of("{urn:books}catalog", "{urn:books}book", "{urn:books}title", "{urn:books}note",
                "{urn:books}by", "{urn:books}book", "{urn:books}title"), out.get("tags"));
        assertEquals("<not markup> & stuff", out.get("cdata"));
        assertEquals("Publisher & Co AB", out.get("entities"));
        assertEquals("tail-text", out.get("tail"));
        assertEquals(true, out.get("roundtrip"));
        assertEquals("<a x=\"1\"><b>t &amp; u</b>tail</a>", out.get("serialized"));
        assertEquals(List.of(List.of("pi", "render fast"), List.of("comment", " inner ")), out.get("comments_pis"));
        assertEquals(List.of(List.of("start-ns", List.of("", "urn:books")), List.of("start-ns", List.of("x", "urn:extra")),
                List.of("start", "{urn:books}catalog"), List.of("start", "{urn:books}book"),
                List.of("start", "{urn:books}title"), List.of("end", "{urn:books}title")), out.get("iterparse"));
        assertEquals(18L, out.get("iterparse_count"));
        assertEquals(List.of("{urn:books}book", "{urn:books}catalog"), out.get("pull_before_close"));
        assertEquals(7L, out.get("pull_chunked"));
        assertEquals("naïve ☃ café – ü", out.get("utf8"));
        assertEquals("café", out.get("latin1"));
        assertEquals("ü☃", out.get("utf16"));
        assertEquals("☃", out.get("str_declared_latin1"));
        assertEquals("\u0001x", out.get("xml11_control"));
        String malformed = (String) out.get("malformed");
        assertTrue(malformed.startsWith("error:7:3:mismatched tag: line 3"), malformed);
        assertTrue(((String) out.get("undefined")).startsWith("error:11:1:undefined entity"), out.get("undefined")
                .toString());
        assertEquals("Hello World", out.get("custom_entity"));
        assertEquals(List.of(List.of("html", "-//W3C//DTD XHTML 1.0 Strict//EN",
                "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd")), out.get("doctype"));
    }

    @Test
    void minidom() throws Exception {
        Map<String, Object> out = run(Map.of("case", "minidom", "doc", DOCUMENT));
        assertEquals(List.of("catalog", "urn:books"), out.get("root"));
        assertEquals(List.of("b1", "b2"), out.get("ids"));
        assertEquals("5", out.get("rating"));
        assertEquals(List.of("Dune", "Émile – ü"), out.get("titles"));
        assertEquals(List.of(true, "<not markup> & stuff"), out.get("cdata"));
        assertEquals("Publisher & Co AB", out.get("entities"));
        assertEquals(List.of(false, true, false, false), out.get("text_nodes"));
        assertEquals("tail-text", out.get("tail"));
        assertEquals(List.of(" top comment "), out.get("comments"));
        assertEquals(List.of(List.of("render", "fast")), out.get("pis"));
        assertEquals(List.of("catalog", "<!ENTITY pub \"Publisher &amp; Co\">"), out.get("doctype"));
        assertEquals("<r a=\"1\"><!--c--><b>x &lt; y</b></r>", out.get("toxml"));
        assertEquals("one", out.get("by_id"));
        assertTrue(((String) out.get("malformed")).startsWith("error:7:1:mismatched tag"), (String) out.get("malformed"));
    }

    @Test
    void sax() throws Exception {
        Map<String, Object> out = run(Map.of("case", "sax", "doc", DOCUMENT));
        assertEquals(List.of(
                List.of("start", "catalog", Map.of("xmlns", "urn:books", "xmlns:x", "urn:extra")),
                List.of("start", "book", Map.of("id", "b1", "x:rating", "5")),
                List.of("start", "title", Map.of()), List.of("text", "Dune"), List.of("end", "title"),
                List.of("start", "note", Map.of()), List.of("text", "<not markup> & stuff"), List.of("end", "note"),
                List.of("start", "by", Map.of()), List.of("text", "Publisher & Co AB"), List.of("end", "by"),
                List.of("end", "book"),
                List.of("start", "book", Map.of("id", "b2")),
                List.of("start", "title", Map.of()), List.of("text", "Émile – ü"), List.of("end", "title"),
                List.of("text", "tail-text"), List.of("pi", "render", "fast"), List.of("end", "book"),
                List.of("end", "catalog")), out.get("events"));
        assertEquals(List.of(List.of("comment", " top comment "), Arrays.asList("ns", null, "urn:books"),
                List.of("ns", "x", "urn:extra"), List.of("start", List.of("urn:books", "catalog"), List.of()),
                List.of("start", List.of("urn:books", "book"), List.of("None id=b1", "urn:extra rating=5")),
                List.of("start", List.of("urn:books", "title"), List.of()), List.of("text", "Dune"),
                List.of("end", List.of("urn:books", "title"))), out.get("ns_events"));
        assertEquals(List.of(List.of("comment", " top comment "), List.of("cdata"), List.of("/cdata"),
                List.of("comment", " inner ")), out.get("lexical"));
        assertEquals("&<AB", out.get("entities"));
        assertTrue(((String) out.get("malformed")).startsWith("error:sax:2:mismatched tag"), (String) out.get("malformed"));
    }

    @Test
    void expatApi() throws Exception {
        Map<String, Object> out = run(Map.of("case", "expat"));
        assertEquals(List.of(Arrays.asList("decl", "1.0", null, -1L), Arrays.asList("ns", null, "urn:r"), List.of("ns", "q", "urn:q"),
                List.of("start", "urn:r}r", List.of("urn:q}a", "1", "b", "2")), List.of("data", "x"),
                List.of("end", "urn:r}r"), List.of("/ns", "q"), Arrays.asList("/ns", null)), out.get("calls"));
        assertEquals(List.of(List.of(2L, 6L, 3L), "expat_2.6.3", "UTF-8", "mismatched tag", 6L, true), out.get("info"));
        assertTrue(((String) out.get("error")).startsWith("error:7:3:mismatched tag: line 3"), (String) out.get("error"));
        assertEquals(List.of(7L, 3L), out.get("error_state"));
        assertTrue(((String) out.get("after_final")).startsWith("error:36:"), (String) out.get("after_final"));
    }

    @Test
    void externalEntitiesAndDtdsAreNeverLoaded() throws Exception {
        String fileUri = Files.writeString(temp.resolve("secret.txt"), MARKER + "\n").toUri().toString();
        String base = server.base();
        StringBuilder laughs = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]><lolz>&lol9;</lolz>");
        int before = server.requests();
        Map<String, Object> out = run(Map.of(
                "case", "security",
                "xxe_file", "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + fileUri + "\">]><r>before&x;after</r>",
                "xxe_http", "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + base + "entity\">]><r>before&x;after</r>",
                "dtd_http", "<!DOCTYPE r SYSTEM \"" + base + "r.dtd\"><r>before after</r>",
                "pe_http", "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + base + "pe\"> %p;]><r>before after</r>",
                "xxe_attribute", "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + fileUri + "\">]><r a=\"&x;\"/>",
                "laughs", laughs.toString(),
                "quadratic", "<!DOCTYPE r [<!ENTITY a \"" + "A".repeat(100_000) + "\">]><r>" + "&a;".repeat(1_000)
                        + "</r>"));
        assertEquals(before, server.requests(), "the parser made an HTTP request");
        assertFalse(out.toString().contains(MARKER), out.toString());

        // ElementTree, as with expat: an external entity reference is an "undefined entity" error
        assertTrue(out.get("xxe_file_etree").toString().startsWith("error:11:1:undefined entity &x;"),
                out.get("xxe_file_etree").toString());
        assertTrue(out.get("xxe_http_etree").toString().startsWith("error:11:"), out.get("xxe_http_etree").toString());
        // minidom and SAX, as with expat: the reference is skipped
        assertEquals("ok:<r>beforeafter</r>", out.get("xxe_file_minidom"));
        assertEquals("ok:beforeafter", out.get("xxe_file_sax"));
        assertEquals("ok:<r>beforeafter</r>", out.get("xxe_http_minidom"));
        assertEquals("ok:beforeafter", out.get("xxe_http_sax"));
        // even when the statement asks SAX to load external entities
        assertEquals("ok:beforeafter", out.get("xxe_file_sax_ges"));
        assertEquals("ok:beforeafter", out.get("xxe_http_sax_ges"));
        // an external DTD or parameter entity is not read: the document parses without it
        for (String name : List.of("dtd_http", "pe_http")) {
            assertEquals("ok:before after", out.get(name + "_etree"), name);
            assertEquals("ok:<r>before after</r>", out.get(name + "_minidom"), name);
            assertEquals("ok:before after", out.get(name + "_sax"), name);
        }
        for (String parser : List.of("etree", "minidom")) {
            assertTrue(out.get("xxe_attribute_" + parser).toString().startsWith("error:16:"),
                    out.get("xxe_attribute_" + parser).toString());
        }
        assertTrue(out.get("xxe_attribute_sax").toString().startsWith("error:sax:"), out.get("xxe_attribute_sax").toString());

        String laughsOutcome = out.get("laughs").toString();
        assertTrue(laughsOutcome.startsWith("error:43:") && laughsOutcome.contains("entity expansions"), laughsOutcome);
        assertTrue((Double) out.get("laughs_seconds") < 10, out.get("laughs_seconds").toString());
        String quadratic = out.get("quadratic").toString();
        assertTrue(quadratic.startsWith("error:43:") && quadratic.contains("accumulated size of entities"), quadratic);
        assertTrue((Double) out.get("quadratic_seconds") < 30, out.get("quadratic_seconds").toString());
    }

    @Test
    void oneMegabyteDocument() throws Exception {
        Map<String, Object> out = run(Map.of("case", "large"));
        assertTrue((Long) out.get("bytes") > 1_000_000, out.get("bytes").toString());
        assertEquals(7000L, out.get("records"));
        assertEquals("City & Town", out.get("last_city"));
        assertEquals(7000L * 4 + 1, out.get("sax_starts"));
        System.out.printf("XmlParsingTest: %d bytes, ElementTree.fromstring %.2f s, xml.sax.parseString %.2f s%n",
                out.get("bytes"), out.get("etree_seconds"), out.get("sax_seconds"));
    }
}
