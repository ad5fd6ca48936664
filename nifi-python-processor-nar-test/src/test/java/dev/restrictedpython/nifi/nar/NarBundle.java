package dev.restrictedpython.nifi.nar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A NAR unpacked to a working directory, as NiFi's NarUnpacker does: a zip whose {@code META-INF/MANIFEST.MF}
 * names the NAR and its parent NAR, and whose {@code META-INF/bundled-dependencies/*.jar} make its class path
 * (NiFi adds them to the NarClassLoader sorted by file name).
 */
final class NarBundle {

    static final String BUNDLED_DEPENDENCIES = "META-INF/bundled-dependencies";

    private final Path root;
    private final Manifest manifest;
    private final List<Path> jars;

    private NarBundle(Path root, Manifest manifest, List<Path> jars) {
        this.root = root;
        this.manifest = manifest;
        this.jars = jars;
    }

    /** Unpacks {@code nar} into {@code directory} (emptied first). */
    static NarBundle unpack(Path nar, Path directory) throws IOException {
        deleteRecursively(directory);
        Files.createDirectories(directory);
        Path root = directory.toRealPath();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(nar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("NAR entry outside the working directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        Path manifestFile = root.resolve("META-INF/MANIFEST.MF");
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(nar + " has no META-INF/MANIFEST.MF");
        }
        Manifest manifest;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest = new Manifest(in);
        }
        List<Path> jars = new ArrayList<>();
        Path dependencies = root.resolve(BUNDLED_DEPENDENCIES);
        if (Files.isDirectory(dependencies)) {
            try (Stream<Path> files = Files.list(dependencies)) {
                files.filter(file -> file.getFileName().toString().toLowerCase().endsWith(".jar"))
                        .filter(Files::isRegularFile)
                        .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                        .forEach(jars::add);
            }
        }
        return new NarBundle(root, manifest, List.copyOf(jars));
    }

    Path root() {
        return root;
    }

    String manifestValue(String name) {
        return manifest.getMainAttributes().getValue(name);
    }

    /** The bundled jars, sorted by file name. */
    List<Path> jars() {
        return jars;
    }

    List<String> jarNames() {
        return jars.stream().map(jar -> jar.getFileName().toString()).toList();
    }

    /** The class path NiFi gives the NAR's class loader: every bundled jar. */
    URL[] classPath() {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return urls;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
