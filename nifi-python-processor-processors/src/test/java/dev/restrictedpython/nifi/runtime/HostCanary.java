package dev.restrictedpython.nifi.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What hostile statements are checked against: a file with a secret in a host folder, a server on 127.0.0.1 that
 * counts connections, and a JVM time zone other than a context's empty TZ. {@link #assertUntouched} fails when
 * any of them was read, changed or reached; {@link #fillIn} puts their paths and port into attack templates.
 */
final class HostCanary implements AutoCloseable {

    static final String ZONE = "Asia/Kolkata";

    private final Path dir;
    private final Path file;
    private final String secret = "canary-" + UUID.randomUUID();
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final TimeZone originalZone = TimeZone.getDefault();

    HostCanary(Path dir) throws IOException {
        this.dir = dir;
        this.file = dir.resolve("canary.txt");
        Files.writeString(file, secret);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        TimeZone.setDefault(TimeZone.getTimeZone(ZONE));
    }

    String secret() {
        return secret;
    }

    int connections() {
        return accepted.size();
    }

    /** {CANARY}, {DIR}, {HOSTCWD} and {PORT} in an attack's source. */
    String fillIn(String template) {
        return template.replace("{CANARY}", file.toString())
                .replace("{DIR}", dir.toString())
                .replace("{HOSTCWD}", System.getProperty("user.dir"))
                .replace("{PORT}", Integer.toString(server.getLocalPort()));
    }

    /** Nothing read, created, changed or reached on the host since {@code connectionsBefore} was taken. */
    void assertUntouched(String whatTheStatementSaid, int connectionsBefore) throws IOException {
        assertFalse(whatTheStatementSaid.contains(secret), "the canary file was read: " + whatTheStatementSaid);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no file was created or moved on the host");
        }
        assertEquals(secret, Files.readString(file), "the canary file is unchanged");
        String path = System.getenv("PATH");
        assertTrue(path == null || !whatTheStatementSaid.contains(path), "no host PATH");
        assertEquals(ZONE, TimeZone.getDefault().getID(), "the JVM's time zone is unchanged");
        assertEquals(connectionsBefore, accepted.size(), "no connection reached the host's server");
    }

    @Override
    public void close() throws IOException {
        TimeZone.setDefault(originalZone);
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
