package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.python.embedding.VirtualFileSystem;

import java.lang.reflect.Field;

/**
 * The third-party Python packages bundled in this jar (installed at build time by {@code graalpy-maven-plugin}
 * into {@value #RESOURCE_DIRECTORY}, pinned by {@code graalpy.lock}) and the file system through which a sandboxed
 * context reads them.
 *
 * <p>That file system is GraalPy's read-only {@link VirtualFileSystem} with {@link VirtualFileSystem.HostIO#NONE}:
 * every path outside its mount point is denied, and nothing inside it can be written. GraalPy's language home (the
 * standard library, an internal resource of the polyglot runtime) stays readable as it is for a context without
 * any file system. One instance serves every context of this class loader (it only reads jar resources).
 */
final class BundledPackages {

    /** Where the plugin puts the virtual file system in the jar; the pom sets the same folder. */
    static final String RESOURCE_DIRECTORY = "GRAALPY-VFS/dev.restrictedpython/nifi-python-processor-processors";

    private static final Source SITE_SOURCE = PythonSandbox.resourceSource("sandbox_site.py");
    private static volatile BundledPackages shared;

    private final VirtualFileSystem virtualFileSystem;
    private final FileSystem fileSystem;

    private BundledPackages(VirtualFileSystem virtualFileSystem) {
        this.virtualFileSystem = virtualFileSystem;
        this.fileSystem = FileSystem.newReadOnlyFileSystem(
                FileSystem.allowInternalResourceAccess(delegatingFileSystem(virtualFileSystem)));
    }

    /** The bundle of this class loader, read from the jar on first use. */
    static BundledPackages get() {
        BundledPackages packages = shared;
        if (packages == null) {
            synchronized (BundledPackages.class) {
                packages = shared;
                if (packages == null) {
                    packages = new BundledPackages(VirtualFileSystem.newBuilder()
                            .resourceDirectory(RESOURCE_DIRECTORY)
                            .resourceLoadingClass(BundledPackages.class)
                            .allowHostIO(VirtualFileSystem.HostIO.NONE)
                            .build());
                    shared = packages;
                }
            }
        }
        return packages;
    }

    /** The only file system a sandboxed context gets: the bundle, read-only, and nothing of the host. */
    FileSystem fileSystem() {
        return fileSystem;
    }

    /** Where the bundle appears inside a context ({@code /graalpy_vfs} on Unix). */
    String mountPoint() {
        return virtualFileSystem.getMountPoint();
    }

    /** Puts the bundle's site-packages on the context's {@code sys.path} (see {@code sandbox_site.py}). */
    void addToPath(Context context) {
        context.eval(SITE_SOURCE).execute(mountPoint());
    }

    /**
     * GraalPy 25.0 hands the virtual file system to a context only through
     * {@code GraalPyResources.contextBuilder(vfs)}, which also opens everything else (all access, native access,
     * threads). This reads the same file system from the package-private field that method uses, so that the
     * sandbox can build its own context. A GraalPy upgrade that renames the field fails here, loudly, at the first
     * context (and in the tests).
     */
    private static FileSystem delegatingFileSystem(VirtualFileSystem virtualFileSystem) {
        try {
            Field field = VirtualFileSystem.class.getDeclaredField("delegatingFileSystem");
            field.setAccessible(true);
            return (FileSystem) field.get(virtualFileSystem);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the file system of GraalPy's VirtualFileSystem; "
                    + "BundledPackages must be adapted to this version of org.graalvm.python:python-embedding", e);
        }
    }
}
