package dev.restrictedpython.nifi.nar;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A NAR class loader that is stricter than NiFi's: NiFi's {@code NarClassLoader} is a plain parent-first
 * {@link URLClassLoader} over the NAR's bundled jars whose parent is the loader of the NAR it depends on
 * (here nifi-standard-services-api-nar, then NiFi's root loader with nifi-api). This one looks in the NAR first,
 * so every class that the NAR bundles is taken from the NAR even when the parent has it too, except for what must
 * be shared with the JVM and the framework, which always comes from the parent:
 * <ul>
 *     <li>every package of a module in the boot layer: the JDK, and, when the Graal compiler is enabled with
 *     {@code --upgrade-module-path}, the compiler with the truffle-compiler, word, collections, nativeimage and
 *     jniutils modules it comes with (the NAR bundles copies of the last five; the Truffle runtime must talk to the
 *     compiler through the same classes as the compiler), plus {@code java.} and {@code javax.} by name;</li>
 *     <li>everything of NiFi, {@code org.apache.nifi.}: nifi-api (Processor, PropertyDescriptor, the lifecycle
 *     annotations, ...), nifi-record and the record service APIs (RecordReaderFactory, ...), whose types the
 *     processor shares with the framework and with controller services from other NARs, and nifi-utils, which
 *     shares packages with nifi-api ({@code org.apache.nifi.processor.util}, {@code org.apache.nifi.flowfile.attributes})
 *     and comes with nifi-standard-services-api-nar;</li>
 *     <li>logging, {@code org.slf4j.}: NiFi's lib/ gives every NAR slf4j-api bound to logback.</li>
 * </ul>
 * With these rules a class of the processor or of GraalVM can only come from the NAR, and a NiFi type only from
 * the parent, so the test sees exactly what the NAR brings.
 */
final class ChildFirstNarClassLoader extends URLClassLoader {

    static final List<String> PARENT_FIRST_PREFIXES = List.of("java.", "javax.", "org.apache.nifi.", "org.slf4j.");

    /** The packages of the boot layer's modules: the JDK, and the Graal compiler when it is on the upgrade module path. */
    static final Set<String> BOOT_LAYER_PACKAGES = ModuleLayer.boot().modules().stream()
            .flatMap(module -> module.getPackages().stream())
            .collect(Collectors.toUnmodifiableSet());

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final List<String> parentFirstPrefixes;

    ChildFirstNarClassLoader(String name, URL[] classPath, ClassLoader parent) {
        this(name, classPath, parent, PARENT_FIRST_PREFIXES);
    }

    ChildFirstNarClassLoader(String name, URL[] classPath, ClassLoader parent, List<String> parentFirstPrefixes) {
        super(name, classPath, parent);
        this.parentFirstPrefixes = List.copyOf(parentFirstPrefixes);
    }

    /** Whether the class {@code className} (binary name) must come from the parent. */
    boolean isParentFirst(String className) {
        int lastDot = className.lastIndexOf('.');
        return isParentFirstPackage(lastDot > 0 ? className.substring(0, lastDot) : "");
    }

    /** Whether the resource {@code name} ("org/apache/nifi/.../x.y") must come from the parent. */
    private boolean isParentFirstResource(String name) {
        int lastSlash = name.lastIndexOf('/');
        return lastSlash > 0 && isParentFirstPackage(name.substring(0, lastSlash).replace('/', '.'));
    }

    private boolean isParentFirstPackage(String packageName) {
        if (BOOT_LAYER_PACKAGES.contains(packageName)) {
            return true;
        }
        String withDot = packageName + ".";
        for (String prefix : parentFirstPrefixes) {
            if (withDot.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (isParentFirst(name)) {
                    loaded = getParent().loadClass(name);
                } else {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notInNar) {
                        loaded = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isParentFirstResource(name)) {
            return super.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }
}
