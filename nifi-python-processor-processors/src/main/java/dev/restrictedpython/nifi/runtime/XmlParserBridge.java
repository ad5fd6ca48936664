package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.Attributes2;
import org.xml.sax.ext.DefaultHandler2;
import org.xml.sax.ext.Locator2;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XML parser behind the sandbox's {@code pyexpat}. GraalPy 25.0's own {@code pyexpat} is a native extension,
 * which a context without native access cannot load, so {@code xml.etree}, {@code xml.dom.minidom} and
 * {@code xml.sax} would have no parser. This class parses a whole document with the JDK's SAX parser and hands
 * the result to Python as data; {@code pyexpat.py} replays it to the handlers the standard library installs.
 *
 * <p>Security: secure processing on; no external entity, external DTD or external parameter entity is ever
 * fetched (the features are off, the JDK's access properties allow no protocol, and the entity resolver refuses);
 * internal entities declared in the document's own DTD are expanded within the bounds below, so a "billion
 * laughs" document fails after {@value #ENTITY_EXPANSION_LIMIT} expansions instead of filling the heap.
 *
 * <p>Python calls {@link #execute} with {@code (data, encoding, namespace_separator, namespace_prefixes,
 * specified_only)}: {@code data} is a {@code str} (parsed as characters; the declared encoding is ignored) or a
 * bytes-like object (decoded as the document declares, or as {@code encoding} when given). The answer is one
 * string: fields separated by {@code \u0001}, {@link #NONE} for Python's {@code None}, and a last field of flags
 * (see {@link Events#finish()}). A parse error ends the events with an error record (character data not yet
 * reported when the error came is dropped: after an entity limit it can be megabytes).
 */
public final class XmlParserBridge implements ProxyExecutable {

    /** The module {@code PythonStatement} installs in every context; it makes {@code pyexpat} importable. */
    static final String INSTALLER_MODULE = "restricted_xml";

    static final int ENTITY_EXPANSION_LIMIT = 64_000;
    static final int TOTAL_ENTITY_SIZE_LIMIT = 10_000_000;
    static final int GENERAL_ENTITY_SIZE_LIMIT = 1_000_000;
    static final int PARAMETER_ENTITY_SIZE_LIMIT = 1_000_000;
    static final int ENTITY_REPLACEMENT_LIMIT = 3_000_000;

    static final char SEPARATOR = '\u0001';
    static final String NONE = "\u0002";
    private static final char ESCAPE = '\u0003';

    private static final XmlParserBridge INSTANCE = new XmlParserBridge();
    private static final String INSTALLER_SOURCE = PythonSandbox.resourceText(INSTALLER_MODULE + ".py");
    private static final String PYEXPAT_SOURCE = PythonSandbox.resourceText("pyexpat.py");

    private static final String XERCES = "http://apache.org/xml/";
    private static final Pattern XML_DECLARATION = Pattern.compile(
            "<\\?xml\\s+version\\s*=\\s*([\"'])([^\"']*)\\1(?:\\s+encoding\\s*=\\s*([\"'])([^\"']*)\\3)?"
                    + "(?:\\s+standalone\\s*=\\s*([\"'])(yes|no)\\5)?\\s*\\?>");

    private XmlParserBridge() {
    }

    /**
     * Installs the sandbox's {@code pyexpat} in a context: {@code installModule} is {@code statement_host}'s
     * {@code install_module}. Only a small import hook is compiled here; {@code pyexpat} itself compiles on the
     * first import of an XML parser, so contexts that never parse XML pay nothing for it.
     */
    static void install(Value installModule) {
        installModule.execute(INSTALLER_MODULE, INSTALLER_SOURCE).getMember("install").execute(INSTANCE,
                PYEXPAT_SOURCE);
    }

    @Override
    public Object execute(Value... arguments) {
        Value data = arguments[0];
        Options options = new Options(optionalString(arguments[1]), optionalString(arguments[2]),
                arguments[3].asBoolean(), arguments[4].asBoolean());
        if (data.isString()) {
            return parse(data.asString(), options);
        }
        byte[] bytes = new byte[Math.toIntExact(data.getBufferSize())];
        data.readBuffer(0, bytes, 0, bytes.length);
        return parse(bytes, options);
    }

    private static String optionalString(Value value) {
        return value == null || value.isNull() ? null : value.asString();
    }

    /**
     * How to parse.
     *
     * @param encoding            overrides the document's encoding (bytes only), or null
     * @param namespaceSeparator  null: no namespace processing (names as written, {@code xmlns} attributes
     *                            reported as attributes); otherwise names in a namespace are reported as
     *                            {@code uri + separator + local}, as expat does
     * @param namespacePrefixes   with a separator: append {@code separator + prefix} to prefixed names
     * @param specifiedOnly       report only the attributes written in the document, not DTD defaults
     */
    record Options(String encoding, String namespaceSeparator, boolean namespacePrefixes, boolean specifiedOnly) {
    }

    /** Parses characters: the document's declared encoding does not apply. */
    static String parse(String document, Options options) {
        String text = document.startsWith("\uFEFF") ? document.substring(1) : document;
        return parse(new InputSource(new StringReader(text)), new RawDocument(text, null), options);
    }

    /** Parses bytes in the encoding the document declares (or its byte order mark), or {@code options.encoding}. */
    static String parse(byte[] document, Options options) {
        InputSource source = new InputSource(new ByteArrayInputStream(document));
        if (options.encoding() != null) {
            source.setEncoding(options.encoding());
        }
        return parse(source, new RawDocument(null, document), options);
    }

    private static String parse(InputSource source, RawDocument raw, Options options) {
        Events events = new Events();
        raw.xmlDeclaration(events);
        Handler handler = new Handler(events, raw, options);
        try {
            XMLReader reader = newReader(options.namespaceSeparator() != null);
            reader.setContentHandler(handler);
            reader.setErrorHandler(handler);
            reader.setEntityResolver(handler);
            reader.setDTDHandler(handler);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", handler);
            reader.setProperty("http://xml.org/sax/properties/declaration-handler", handler);
            reader.parse(source);
            handler.flushText();
        } catch (SAXParseException e) {
            events.error(e.getMessage(), e.getLineNumber(), e.getColumnNumber());
        } catch (SAXException e) {
            Locator locator = handler.locator;
            events.error(e.getMessage(), locator == null ? 1 : locator.getLineNumber(),
                    locator == null ? 1 : locator.getColumnNumber());
        } catch (IOException e) {
            events.error(e.getMessage() == null ? e.toString() : e.getMessage(), 1, 1);
        }
        return events.finish();
    }

    /** The JDK's own SAX parser (never one found on the class path), locked down. */
    private static XMLReader newReader(boolean namespaceAware) throws SAXException {
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setNamespaceAware(namespaceAware);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XERCES + "features/nonvalidating/load-external-dtd", false);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            reader.setProperty("jdk.xml.entityExpansionLimit", Integer.toString(ENTITY_EXPANSION_LIMIT));
            reader.setProperty("jdk.xml.totalEntitySizeLimit", Integer.toString(TOTAL_ENTITY_SIZE_LIMIT));
            reader.setProperty("jdk.xml.maxGeneralEntitySizeLimit", Integer.toString(GENERAL_ENTITY_SIZE_LIMIT));
            reader.setProperty("jdk.xml.maxParameterEntitySizeLimit",
                    Integer.toString(PARAMETER_ENTITY_SIZE_LIMIT));
            reader.setProperty("jdk.xml.entityReplacementLimit", Integer.toString(ENTITY_REPLACEMENT_LIMIT));
            // system ids in declarations as written: resolving them would show the JVM's working directory
            reader.setFeature("http://xml.org/sax/features/resolve-dtd-uris", false);
            optionalProperty(reader, XERCES + "properties/locale", Locale.ENGLISH);
            return reader;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser refused a security setting", e);
        }
    }

    private static void optionalProperty(XMLReader reader, String name, Object value) {
        try {
            reader.setProperty(name, value);
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            // cosmetic only (error messages in English)
        }
    }

    /** The events in the format {@code pyexpat.py} reads. */
    static final class Events {
        private final StringBuilder out = new StringBuilder(256);
        private boolean escaped;
        private boolean failed;
        private int count;

        Events code(char code) {
            out.append(code).append(SEPARATOR);
            count++;
            return this;
        }

        Events field(String value) {
            if (value == null) {
                out.append(NONE).append(SEPARATOR);
                return this;
            }
            int length = value.length();
            for (int i = 0; i < length; i++) {
                char c = value.charAt(i);
                if (c <= ESCAPE && c >= SEPARATOR) {
                    return escapedField(value);
                }
            }
            out.append(value).append(SEPARATOR);
            return this;
        }

        Events field(int value) {
            out.append(value).append(SEPARATOR);
            return this;
        }

        Events field(char[] characters, int start, int length) {
            for (int i = start; i < start + length; i++) {
                char c = characters[i];
                if (c <= ESCAPE && c >= SEPARATOR) {
                    return escapedField(new String(characters, start, length));
                }
            }
            out.append(characters, start, length).append(SEPARATOR);
            return this;
        }

        /** XML 1.1 allows control characters as character references; they cannot stand for themselves here. */
        private Events escapedField(String value) {
            escaped = true;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c <= ESCAPE && c >= SEPARATOR) {
                    out.append(ESCAPE).append((char) ('a' + c - SEPARATOR));
                } else {
                    out.append(c);
                }
            }
            out.append(SEPARATOR);
            return this;
        }

        /** The error record: expat's error code, line (from 1), column (from 0), message. */
        void error(String message, int line, int column) {
            String text = message == null ? "XML parse error" : message.strip();
            failed = true;
            count--;
            code('!').field(ExpatErrors.code(text)).field(Math.max(line, 1)).field(Math.max(column - 1, 0))
                    .field(text);
        }

        /**
         * The last field: whether any field was escaped ('1' or '0'), whether the parse failed ('!' or '.'), and
         * how many events there are (the error record not counted).
         */
        String finish() {
            return out.append(escaped ? '1' : '0').append(failed ? '!' : '.').append(count).toString();
        }
    }

    /** Receives the SAX events and writes them out in document order, with expat's naming and ordering. */
    private static final class Handler extends DefaultHandler2 {
        private final Events events;
        private final RawDocument raw;
        private final Options options;
        private final StringBuilder text = new StringBuilder();
        private final List<String> pendingPrefixes = new ArrayList<>();
        private final Deque<List<String>> openPrefixes = new ArrayDeque<>();
        private final Map<String, String[]> externalEntities = new HashMap<>();
        private Locator locator;

        Handler(Events events, RawDocument raw, Options options) {
            this.events = events;
            this.raw = raw;
            this.options = options;
        }

        void flushText() {
            if (!text.isEmpty()) {
                events.code('T').field(text.toString());
                text.setLength(0);
            }
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) {
            pendingPrefixes.add(prefix);
            flushText();
            events.code('N').field(prefix.isEmpty() ? null : prefix).field(uri.isEmpty() ? null : uri);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            flushText();
            events.code('S').field(name(uri, localName, qName)).field(locator.getLineNumber())
                    .field(Math.max(locator.getColumnNumber() - 1, 0));
            int count = attributes.getLength();
            boolean skipDefaults = options.specifiedOnly() && attributes instanceof Attributes2;
            int reported = count;
            if (skipDefaults) {
                for (int i = 0; i < count; i++) {
                    if (!((Attributes2) attributes).isSpecified(i)) {
                        reported--;
                    }
                }
            }
            events.field(reported);
            for (int i = 0; i < count; i++) {
                if (skipDefaults && !((Attributes2) attributes).isSpecified(i)) {
                    continue;
                }
                events.field(name(attributes.getURI(i), attributes.getLocalName(i), attributes.getQName(i)))
                        .field(attributes.getValue(i));
            }
            if (options.namespaceSeparator() != null) {
                openPrefixes.push(pendingPrefixes.isEmpty() ? List.of() : new ArrayList<>(pendingPrefixes));
                pendingPrefixes.clear();
            }
        }

        /** expat's names: {@code uri SEP local [SEP prefix]} in a namespace, the name as written otherwise. */
        private String name(String uri, String localName, String qName) {
            String separator = options.namespaceSeparator();
            if (separator == null || uri == null || uri.isEmpty()) {
                return qName;
            }
            int colon = qName.indexOf(':');
            if (options.namespacePrefixes() && colon > 0) {
                return uri + separator + localName + separator + qName.substring(0, colon);
            }
            return uri + separator + localName;
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            flushText();
            events.code('E').field(name(uri, localName, qName));
            if (options.namespaceSeparator() != null) {
                List<String> prefixes = openPrefixes.pop();
                for (int i = prefixes.size() - 1; i >= 0; i--) {
                    String prefix = prefixes.get(i);
                    events.code('n').field(prefix.isEmpty() ? null : prefix);
                }
            }
        }

        @Override
        public void endPrefixMapping(String prefix) {
            // reported after the end tag, in expat's order (the reverse of the declarations), by endElement
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void processingInstruction(String target, String data) {
            flushText();
            events.code('P').field(target).field(data == null ? "" : data);
        }

        @Override
        public void comment(char[] ch, int start, int length) {
            flushText();
            events.code('C').field(ch, start, length);
        }

        @Override
        public void startCDATA() {
            flushText();
            events.code('[');
        }

        @Override
        public void endCDATA() {
            flushText();
            events.code(']');
        }

        @Override
        public void startDTD(String name, String publicId, String systemId) {
            String encoding = locator instanceof Locator2 located ? located.getEncoding() : null;
            events.code('D').field(name).field(systemId).field(publicId).field(raw.internalSubset(encoding));
        }

        @Override
        public void endDTD() {
            events.code('d');
        }

        @Override
        public void elementDecl(String name, String model) {
            events.code('M').field(name).field(model);
        }

        @Override
        public void attributeDecl(String element, String attribute, String type, String mode, String value) {
            events.code('A').field(element).field(attribute).field(type).field(mode).field(value);
        }

        @Override
        public void internalEntityDecl(String name, String value) {
            boolean parameter = name.startsWith("%");
            events.code('e').field(parameter ? name.substring(1) : name).field(parameter ? 1 : 0).field(value)
                    .field((String) null).field((String) null).field((String) null).field((String) null);
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) {
            boolean parameter = name.startsWith("%");
            if (!parameter) {
                externalEntities.put(name, new String[] {systemId, publicId});
            }
            events.code('e').field(parameter ? name.substring(1) : name).field(parameter ? 1 : 0)
                    .field((String) null).field((String) null).field(systemId).field(publicId).field((String) null);
        }

        @Override
        public void unparsedEntityDecl(String name, String publicId, String systemId, String notation) {
            events.code('u').field(name).field(systemId).field(publicId).field(notation);
        }

        @Override
        public void notationDecl(String name, String publicId, String systemId) {
            events.code('o').field(name).field(systemId).field(publicId);
        }

        /** A reference the parser did not expand: an external entity (never loaded) or an undeclared one. */
        @Override
        public void skippedEntity(String name) {
            flushText();
            String[] external = externalEntities.get(name);
            if (external != null) {
                events.code('X').field(name).field(external[0]).field(external[1]);
            } else {
                boolean parameter = name.startsWith("%");
                events.code('K').field(parameter ? name.substring(1) : name).field(parameter ? 1 : 0);
            }
        }

        /** Nothing outside the document is read: a request for one ends the parse. */
        @Override
        public InputSource resolveEntity(String publicId, String systemId) throws SAXException {
            throw new SAXException("external entity refused: the sandbox does not load \"" + systemId + "\"");
        }

        @Override
        public InputSource resolveEntity(String name, String publicId, String baseUri, String systemId)
                throws SAXException {
            return resolveEntity(publicId, systemId);
        }

        @Override
        public InputSource getExternalSubset(String name, String baseUri) {
            return null;
        }

        @Override
        public void warning(SAXParseException e) {
            // not an error for a non-validating parser
        }

        @Override
        public void error(SAXParseException e) {
            // validity errors: a non-validating parser ignores them, as expat does
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }

    /** The document as given, for what SAX does not report: the XML declaration and the raw internal subset. */
    private static final class RawDocument {
        private final String text;
        private final byte[] bytes;

        RawDocument(String text, byte[] bytes) {
            this.text = text;
            this.bytes = bytes;
        }

        void xmlDeclaration(Events events) {
            String head = text != null ? text.substring(0, Math.min(text.length(), 512)) : decodeHead();
            Matcher matcher = XML_DECLARATION.matcher(head);
            if (matcher.lookingAt()) {
                String standalone = matcher.group(6);
                events.code('x').field(matcher.group(2)).field(matcher.group(4))
                        .field(standalone == null ? -1 : "yes".equals(standalone) ? 1 : 0);
            }
        }

        private String decodeHead() {
            int length = Math.min(bytes.length, 1024);
            if (length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
                return new String(bytes, 2, length - 2, StandardCharsets.UTF_16BE);
            }
            if (length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
                return new String(bytes, 2, length - 2, StandardCharsets.UTF_16LE);
            }
            if (length >= 2 && bytes[0] == 0 && bytes[1] == '<') {
                return new String(bytes, 0, length, StandardCharsets.UTF_16BE);
            }
            if (length >= 2 && bytes[0] == '<' && bytes[1] == 0) {
                return new String(bytes, 0, length, StandardCharsets.UTF_16LE);
            }
            int start = length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                    && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
            return new String(bytes, start, length - start, StandardCharsets.ISO_8859_1);
        }

        /** The text between {@code [} and {@code ]} of the DOCTYPE declaration, or null when it has none. */
        String internalSubset(String encoding) {
            String document = text != null ? text : decode(encoding);
            int at = skipMisc(document, 0);
            if (!document.startsWith("<!DOCTYPE", at)) {
                return null;
            }
            char quote = 0;
            for (int i = at + 9; i < document.length(); i++) {
                char c = document.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    return null;
                } else if (c == '[') {
                    int end = subsetEnd(document, i + 1);
                    return end < 0 ? null : document.substring(i + 1, end);
                }
            }
            return null;
        }

        private String decode(String encoding) {
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (encoding != null) {
                    charset = Charset.forName(encoding);
                }
            } catch (RuntimeException e) {
                // unknown to java.nio: the subset is only informative
            }
            String decoded = new String(bytes, charset);
            return decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded;
        }

        /** Skips the XML declaration, comments, processing instructions and white space before the DOCTYPE. */
        private static int skipMisc(String document, int from) {
            int i = from;
            while (i < document.length()) {
                char c = document.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else if (document.startsWith("<?", i)) {
                    int end = document.indexOf("?>", i + 2);
                    i = end < 0 ? document.length() : end + 2;
                } else if (document.startsWith("<!--", i)) {
                    int end = document.indexOf("-->", i + 4);
                    i = end < 0 ? document.length() : end + 3;
                } else {
                    return i;
                }
            }
            return i;
        }

        private static int subsetEnd(String document, int from) {
            int i = from;
            char quote = 0;
            while (i < document.length()) {
                char c = document.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                    i++;
                } else if (document.startsWith("<!--", i)) {
                    int end = document.indexOf("-->", i + 4);
                    i = end < 0 ? document.length() : end + 3;
                } else if (document.startsWith("<?", i)) {
                    int end = document.indexOf("?>", i + 2);
                    i = end < 0 ? document.length() : end + 2;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    i++;
                } else if (c == ']') {
                    return i;
                } else {
                    i++;
                }
            }
            return -1;
        }
    }

    /** expat's error codes for the JDK parser's messages (the message itself is kept for the user). */
    static final class ExpatErrors {
        private static final Object[][] PATTERNS = {
                {"JAXP0001000[1-5]|entity expansion|entity size|entity replacement", 43},
                {"^JAXP", 1},
                {"must be terminated by the matching end-tag", 7},
                {"Premature end of file|must start and end within the same entity", 3},
                {"was already specified for element", 8},
                {"following the root element must be well-formed|not allowed in trailing section", 9},
                {"was referenced, but not declared", 11},
                {"Recursive entity reference", 12},
                {"character reference", 14},
                {"is not a valid XML character|invalid XML character", 4},
                {"unparsed entity", 15},
                {"external entity reference", 16},
                {"processing instruction target matching \"\\[xX\\]\\[mM\\]\\[lL\\]\" is not allowed", 17},
                {"Invalid encoding name|Invalid byte|encoding", 18},
                {"CDATA section must end", 20},
                {"external entity refused", 21},
                {"is not bound", 27},
                {"cannot be bound|reserved|must not be bound", 38},
                {"XML declaration", 30},
                {"text declaration", 31},
                {"must be followed by|must end with|must be terminated by", 5},
                {"public identifier", 32},
        };
        private static final List<Map.Entry<Pattern, Integer>> COMPILED = new ArrayList<>();

        static {
            for (Object[] pattern : PATTERNS) {
                COMPILED.add(Map.entry(Pattern.compile((String) pattern[0], Pattern.CASE_INSENSITIVE),
                        (Integer) pattern[1]));
            }
        }

        private ExpatErrors() {
        }

        static int code(String message) {
            for (Map.Entry<Pattern, Integer> entry : COMPILED) {
                if (entry.getKey().matcher(message).find()) {
                    return entry.getValue();
                }
            }
            return 2;
        }
    }
}
