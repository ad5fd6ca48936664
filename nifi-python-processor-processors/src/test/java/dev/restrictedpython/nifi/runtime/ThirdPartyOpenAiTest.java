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
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** openai 0.28's legacy API against an OpenAI-compatible stub on 127.0.0.1 (never a real endpoint). */
class ThirdPartyOpenAiTest {

    private static HttpServer server;
    private static String apiBase;
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ThirdPartyOpenAiTest::chatCompletion);
        server.start();
        apiBase = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @AfterAll
    static void stopStub() {
        server.stop(0);
    }

    private static void chatCompletion(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        REQUESTS.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                + " " + body);
        String answer = """
                {"id": "chatcmpl-stub", "object": "chat.completion", "created": 1700000000, "model": "gpt-3.5-turbo",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": "Hello from the stub"}}],
                 "usage": {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9}}
                """;
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void chatCompletionCreateAndAcreate() throws Exception {
        REQUESTS.clear();
        List<Map<String, Object>> items = ThirdPartyTestSupport.run("""
                import openai
                openai.api_key = "sk-test-key"
                openai.api_base = "%s"
                messages = [{"role": "user", "content": "Say hello"}]
                sync = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=messages, temperature=0)
                later = await openai.ChatCompletion.acreate(model="gpt-3.5-turbo", messages=messages)
                return [{
                    "content": sync.choices[0].message.content,
                    "role": sync["choices"][0]["message"]["role"],
                    "tokens": sync.usage.total_tokens,
                    "async_content": later.choices[0].message["content"],
                }]
                """.formatted(apiBase), true);
        Map<String, Object> item = items.get(0);
        assertEquals("Hello from the stub", item.get("content"));
        assertEquals("assistant", item.get("role"));
        assertEquals(9L, item.get("tokens"));
        assertEquals("Hello from the stub", item.get("async_content"));
        assertEquals(2, REQUESTS.size(), REQUESTS.toString());
        for (String request : REQUESTS) {
            assertTrue(request.startsWith("POST Bearer sk-test-key "), request);
            assertTrue(request.contains("\"Say hello\""), request);
        }
    }
}
