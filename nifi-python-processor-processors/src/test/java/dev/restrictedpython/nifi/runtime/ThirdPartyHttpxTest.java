package dev.restrictedpython.nifi.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** httpx 0.25.0, sync and async, against a server of the test's own on 127.0.0.1. */
class ThirdPartyHttpxTest {

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/json", exchange -> respond(exchange, 200, "{\"hello\": \"world\", \"n\": 3}"));
        server.createContext("/echo", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            respond(exchange, 201, "{\"method\": \"" + exchange.getRequestMethod() + "\", \"body\": " + body
                    + ", \"header\": \"" + exchange.getRequestHeaders().getFirst("X-Test") + "\"}");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void syncClientGetAndPost() throws Exception {
        List<Map<String, Object>> items = ThirdPartyTestSupport.run("""
                import httpx
                base = "%s"
                with httpx.Client(timeout=10) as client:
                    got = client.get(base + "/json")
                    posted = client.post(base + "/echo", json={"a": 1}, headers={"X-Test": "yes"})
                plain = httpx.get(base + "/json")
                return [{"status": got.status_code, "hello": got.json()["hello"], "posted": posted.json(),
                         "posted_status": posted.status_code, "plain": plain.json()["n"]}]
                """.formatted(base), true);
        Map<String, Object> item = items.get(0);
        assertEquals(200L, item.get("status"));
        assertEquals("world", item.get("hello"));
        assertEquals(201L, item.get("posted_status"));
        assertEquals(Map.of("method", "POST", "body", Map.of("a", 1L), "header", "yes"), item.get("posted"));
        assertEquals(3L, item.get("plain"));
    }

    @Test
    void asyncClientAwaitedFromTheStatement() throws Exception {
        List<Map<String, Object>> items = ThirdPartyTestSupport.run("""
                import httpx
                base = "%s"
                async with httpx.AsyncClient(timeout=10) as client:
                    first = await client.get(base + "/json")
                    second = await client.post(base + "/echo", json=[1, 2])
                await sleep(0.01)
                return [{"hello": first.json()["hello"], "echo": second.json()["body"]}]
                """.formatted(base), true);
        assertEquals(Map.of("hello", "world", "echo", List.of(1L, 2L)), items.get(0));
    }

    @Test
    void asyncClientByHostName() throws Exception {
        // A host name (not an IP literal) makes anyio resolve it through asyncio's getaddrinfo, which runs in the
        // event loop's default thread pool: this is where a sandbox without threads would show.
        List<Map<String, Object>> items = ThirdPartyTestSupport.run("""
                import httpx
                async with httpx.AsyncClient(timeout=10) as client:
                    response = await client.get("%s/json")
                return [{"hello": response.json()["hello"]}]
                """.formatted(base.replace("127.0.0.1", "localhost")), true);
        assertEquals("world", items.get(0).get("hello"));
    }

    @Test
    void syncClientByHostName() throws Exception {
        List<Map<String, Object>> items = ThirdPartyTestSupport.run("""
                import httpx
                return [{"hello": httpx.get("%s/json", timeout=10).json()["hello"]}]
                """.formatted(base.replace("127.0.0.1", "localhost")), true);
        assertEquals("world", items.get(0).get("hello"));
    }

    @Test
    void withoutNetworkAccessTheConnectionIsRefused() {
        StatementException e = assertThrows(StatementException.class, () -> ThirdPartyTestSupport.run("""
                import httpx
                return [{"status": httpx.get("%s/json", timeout=10).status_code}]
                """.formatted(base), false));
        assertTrue(e.getMessage().contains("ConnectError") || e.failure().type().equals("ConnectError"),
                e.failure().toString());
    }
}
