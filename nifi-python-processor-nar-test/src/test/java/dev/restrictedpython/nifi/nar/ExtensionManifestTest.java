package dev.restrictedpython.nifi.nar;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documentation NiFi shows for the processor comes from the NAR's generated extension manifest and
 * additionalDetails page, not from the classes: check that what the annotations say made it into the NAR.
 */
class ExtensionManifestTest {

    private static final String PROCESSOR = "dev.restrictedpython.nifi.processor.ExecuteRestrictedPython";

    private static Element extension;
    private static Path narRoot;

    @BeforeAll
    static void readManifest() throws Exception {
        narRoot = NarBundle.unpack(Path.of(System.getProperty("nar.file")),
                Path.of(System.getProperty("nar.work.directory"), "docs")).root();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document manifest = factory.newDocumentBuilder()
                .parse(narRoot.resolve("META-INF/docs/extension-manifest.xml").toFile());
        for (Element candidate : children(manifest.getDocumentElement(), "extensions", "extension")) {
            if (PROCESSOR.equals(text(candidate, "name"))) {
                extension = candidate;
            }
        }
        assertTrue(extension != null, "the manifest describes " + PROCESSOR);
    }

    @Test
    void describesTheProcessorWithTagsAndParentNar() {
        assertEquals("PROCESSOR", text(extension, "type"));
        assertTrue(text(extension, "description").contains("GraalPy sandbox"));
        List<String> tags = children(extension, "tags", "tag").stream().map(Node::getTextContent).toList();
        assertTrue(tags.containsAll(List.of("python", "record", "sandbox")), tags::toString);
    }

    @Test
    void everyPropertyHasADescriptionAndTheTimeLimitsSayTheirDefaults() {
        List<Element> properties = children(extension, "properties", "property");
        List<String> names = properties.stream().map(property -> text(property, "name")).toList();
        assertTrue(names.containsAll(List.of("Statement", "Processing Mode", "Record Reader", "Record Writer",
                "Include Input Fields", "Data Checkpoint Column", "Initial Data Checkpoint", "Statement Timeout",
                "Memory Limit", "Network Access", "Debug Input")), names::toString);
        for (Element property : properties) {
            assertTrue(text(property, "description").length() > 20, text(property, "name") + " is described");
        }
        Element timeout = properties.get(names.indexOf("Statement Timeout"));
        assertEquals("30 sec", text(timeout, "defaultValue"));
    }

    @Test
    void useCasesStateAndAttributesAreDocumented() {
        List<String> useCases = children(extension, "useCases", "useCase").stream()
                .map(useCase -> text(useCase, "description")).toList();
        assertEquals(4, useCases.size(), useCases::toString);
        assertTrue(useCases.stream().anyMatch(description -> description.contains("HTTP API")), useCases::toString);

        Element stateful = children(extension, "stateful").getFirst();
        assertEquals(List.of("CLUSTER"), children(stateful, "scopes", "scope").stream().map(Node::getTextContent).toList());
        assertTrue(text(stateful, "description").contains("data.checkpoint"));

        List<String> attributes = children(extension, "writesAttributes", "writesAttribute").stream()
                .map(attribute -> text(attribute, "name")).toList();
        assertTrue(attributes.containsAll(List.of("python.error.type", "python.error.message", "python.error.line")),
                attributes::toString);

        assertEquals(1, children(extension, "dynamicProperties", "dynamicProperty").size());
        assertEquals("true", text(extension, "supportsSensitiveDynamicProperties"));
    }

    @Test
    void additionalDetailsPageShipsInTheNar() throws Exception {
        Path page = narRoot.resolve("META-INF/docs/additional-details/" + PROCESSOR + "/additionalDetails.md");
        String details = Files.readString(page);
        assertTrue(details.contains("INPUT_DATA") && details.contains("DATA_CHECKPOINT"), "statement contract");
        assertTrue(details.contains("passlib.hash"), "import list");
    }

    /** The elements at the end of a path of child element names. */
    private static List<Element> children(Element parent, String... path) {
        List<Element> level = List.of(parent);
        for (String name : path) {
            List<Element> next = new ArrayList<>();
            for (Element element : level) {
                NodeList nodes = element.getChildNodes();
                for (int i = 0; i < nodes.getLength(); i++) {
                    if (nodes.item(i) instanceof Element child && child.getTagName().equals(name)) {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        return level;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.getFirst().getTextContent().strip();
    }
}
