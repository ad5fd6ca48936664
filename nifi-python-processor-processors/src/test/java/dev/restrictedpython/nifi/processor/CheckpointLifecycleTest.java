package dev.restrictedpython.nifi.processor;

import com.sun.net.httpserver.HttpServer;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.util.PropertyMigrationResult;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.jsonRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The checkpoint over the processor's life: the "call an HTTP API incrementally" use case against a server on
 * 127.0.0.1, a restart, NiFi's "Clear state", and the property migration of flows configured from the seed.
 */
class CheckpointLifecycleTest {

    /** The use case's statement as the processor's documentation shows it. */
    private static final String INCREMENTAL_FETCH = """
            import httpx
            response = httpx.get(PROPERTIES["url"], params={"after": DATA_CHECKPOINT})
            return response.json()["items"]
            """;

    private HttpServer server;
    private volatile int newestItem;
    private final List<String> requestedAfter = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startApi() throws IOException {
        // an API that lists items 1..newestItem with an id greater than the "after" query parameter
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/items", exchange -> {
            String after = exchange.getRequestURI().getQuery().replaceFirst("^after=", "");
            requestedAfter.add(after);
            String items = IntStream.rangeClosed(Integer.parseInt(after) + 1, newestItem)
                    .mapToObj(id -> "{\"id\": " + id + ", \"name\": \"item " + id + "\"}")
                    .collect(Collectors.joining(", "));
            byte[] body = ("{\"items\": [" + items + "]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    private TestRunner incrementalFetch() {
        TestRunner runner = jsonRunner(INCREMENTAL_FETCH);
        runner.setIncomingConnection(false);
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "id");
        runner.setProperty(ExecuteRestrictedPython.INITIAL_DATA_CHECKPOINT, "0");
        runner.setProperty("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/items");
        return runner;
    }

    private static List<String> outputs(TestRunner runner) {
        return runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).stream()
                .map(ProcessorTestSupport::content).map(ProcessorTestSupport::compact).toList();
    }

    @Test
    void incrementalHttpFetchAsksOnlyForWhatIsNew() {
        TestRunner runner = incrementalFetch();
        newestItem = 3;
        runner.run();
        newestItem = 5;
        runner.run();
        runner.run();

        assertEquals(List.of("0", "3", "5"), requestedAfter, "each run asks for what came after the checkpoint");
        assertEquals(List.of(
                "[{\"id\":1,\"name\":\"item 1\"},{\"id\":2,\"name\":\"item 2\"},{\"id\":3,\"name\":\"item 3\"}]",
                "[{\"id\":4,\"name\":\"item 4\"},{\"id\":5,\"name\":\"item 5\"}]"), outputs(runner),
                "the run that found nothing new wrote no FlowFile");
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "5", Scope.CLUSTER);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_FAILURE, 0);
    }

    @Test
    void checkpointSurvivesARestartOfTheProcessor() {
        TestRunner runner = incrementalFetch();
        newestItem = 2;
        runner.run(1, true, true);
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "2", Scope.CLUSTER);

        // stopped and started again: onStopped closed the contexts, onScheduled builds new ones
        newestItem = 3;
        runner.run(1, true, true);
        assertEquals(List.of("0", "2"), requestedAfter);
        assertEquals("[{\"id\":3,\"name\":\"item 3\"}]", outputs(runner).get(1));
    }

    @Test
    void clearStateStartsAgainFromTheInitialCheckpoint() throws IOException {
        TestRunner runner = incrementalFetch();
        newestItem = 2;
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "2", Scope.CLUSTER);

        // what NiFi's "Clear state" does to the processor's cluster state
        runner.getStateManager().clear(Scope.CLUSTER);
        runner.run();
        assertEquals(List.of("0", "0"), requestedAfter, "after clearing, the run starts from Initial Data Checkpoint");
        assertEquals(outputs(runner).get(0), outputs(runner).get(1));
    }

    @Test
    void seedPropertyNameMigratesToTheProcessorsOwn() {
        TestRunner runner = jsonRunner("return INPUT_DATA");
        runner.setProperty("Data checkpoint column", "id");
        PropertyMigrationResult result = runner.migrateProperties();

        assertEquals(Map.of("Data checkpoint column", ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN.getName()),
                result.getPropertiesRenamed());
        assertEquals("id", runner.getProcessContext().getProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN)
                .getValue());
        assertFalse(runner.getProcessContext().getProperties().keySet().stream()
                .anyMatch(descriptor -> descriptor.getName().equals("Data checkpoint column")));
    }

    @Test
    void migrationKeepsAValueSetUnderTheProcessorsOwnName() {
        TestRunner runner = jsonRunner("return INPUT_DATA");
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "updated_at");
        runner.setProperty("Data checkpoint column", "id");
        PropertyMigrationResult result = runner.migrateProperties();

        assertEquals(Map.of(), result.getPropertiesRenamed());
        assertEquals("updated_at", runner.getProcessContext()
                .getProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN).getValue());
    }
}
