// The JUnit 5 runner of the unit-test harness (SPEC section 9), compiled into
// the image: discovers the test classes in the work dir through the JUnit
// Platform launcher API and writes the line protocol from a listener.
//
// Streams: the protocol goes to the original stdout; System.out is swapped for
// a capped buffer while a test runs, carried escaped into the protocol at its end.
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

public final class CodeRunnerLauncher {
    static final int OUTPUT_CAP = 4096;
    static final PrintStream PROTO = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

    /** What the program prints, kept up to the cap. */
    static final class Capture extends OutputStream {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean truncated;
        @Override public synchronized void write(int b) {
            if (buf.size() < OUTPUT_CAP) buf.write(b); else truncated = true;
        }
        @Override public synchronized void write(byte[] b, int off, int len) {
            int room = OUTPUT_CAP - buf.size();
            if (len > room) { truncated = true; len = Math.max(room, 0); }
            buf.write(b, off, len);
        }
        synchronized String take() {
            String s = buf.toString(StandardCharsets.UTF_8);
            if (truncated) s += "\n[output truncated]\n";
            buf.reset();
            truncated = false;
            return s;
        }
    }

    static final Capture CAPTURE = new Capture();
    static final PrintStream USER_OUT = new PrintStream(CAPTURE, true, StandardCharsets.UTF_8);

    static String esc(String s) { return s == null ? "" : s.replace("\n", "<:LF:>"); }
    static void line(String tag, String text) { PROTO.print("<" + tag + "::>" + esc(text) + "\n"); PROTO.flush(); }

    static void drain() {
        USER_OUT.flush();
        System.out.flush();
        String s = CAPTURE.take();
        if (!s.isEmpty()) line("OUTPUT", s);
    }

    static String describe(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length && i < 12; i++) {
            if (lines[i].contains("org.junit.") || lines[i].contains("java.base/jdk.internal.reflect")) continue;
            b.append(lines[i]).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** Test methods in the order of the test code (build.sh lists the method names
     *  as they appear): class files keep no source order, and JUnit's default
     *  order is deterministic but deliberately unobvious. */
    public static final class SourceOrder implements MethodOrderer {
        static final List<String> NAMES = load();

        static List<String> load() {
            try {
                return Files.readAllLines(Paths.get("cr-test-order.txt"), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return List.of();
            }
        }

        static int index(MethodDescriptor d) {
            int i = NAMES.indexOf(d.getMethod().getName());
            return i < 0 ? Integer.MAX_VALUE : i;
        }

        @Override public void orderMethods(MethodOrdererContext context) {
            context.getMethodDescriptors().sort(Comparator.comparingInt(SourceOrder::index)
                .thenComparing(d -> d.getMethod().getName()));
        }
    }

    static final class Listener implements TestExecutionListener {
        final Deque<Long> starts = new ArrayDeque<>();

        static boolean isClass(TestIdentifier id) {
            return id.isContainer() && id.getSource().filter(s -> s instanceof ClassSource).isPresent();
        }

        @Override public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                drain();
                line("IT", id.getDisplayName());
                starts.push(System.nanoTime());
            } else if (isClass(id)) {
                drain();
                line("DESCRIBE", id.getDisplayName());
                starts.push(System.nanoTime());
            }
        }

        @Override public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest() && !isClass(id)) return;
            Throwable t = result.getThrowable().orElse(null);
            switch (result.getStatus()) {
                case SUCCESSFUL:
                    if (id.isTest()) line("PASSED", "Test Passed");
                    break;
                case ABORTED:
                    line("PASSED", "aborted: " + (t == null ? "" : t.getMessage()));
                    break;
                default:
                    if (t instanceof AssertionError) {
                        line("FAILED", t.getMessage() == null ? t.toString() : t.getMessage());
                    } else {
                        line("ERROR", t == null ? "failed" : describe(t));
                    }
            }
            drain();
            long start = starts.isEmpty() ? System.nanoTime() : starts.pop();
            line("COMPLETEDIN", String.format("%.2f", (System.nanoTime() - start) / 1e6));
        }
    }

    public static void main(String[] args) {
        System.setOut(USER_OUT);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClasspathRoots(Set.of(Paths.get(".").toAbsolutePath().normalize())))
            .configurationParameter("junit.jupiter.testmethod.order.default",
                                    "CodeRunnerLauncher$SourceOrder")
            .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new Listener());
        drain();
        line("END", "");
        PROTO.flush();
        Runtime.getRuntime().halt(0);
    }
}
