"""Java: the submission is Solution.java (`class Solution` with the method, imports
allowed); the harness is Main.java. Each case is its own method (the JVM's 64 KB
limit per method), building the arguments as typed literals, then calling
`new Solution().<name>(...)` with the result in a variable of the declared type.

String literals never use \\u escapes for characters that mean something to the
lexer: javac turns \\u000a into a real line break before it reads the literal, so
control characters are written as octal escapes, and only characters >= 0x80 as \\u.
"""

from __future__ import annotations

from typing import Any

from .family import Cases, Scalars, array_writers, quote, utf16
from .request import FunctionJob
from .types import Type

JAVA_TYPES = {
    "int": "int",
    "long": "long",
    "double": "double",
    "bool": "boolean",
    "string": "String",
}

RUNTIME = r"""
    static long t0, us;
    static void start() { t0 = System.nanoTime(); }
    static void stop() { us = (System.nanoTime() - t0) / 1000; }
    static void w(StringBuilder o, int v) { o.append(v); }
    static void w(StringBuilder o, long v) { o.append(v); }
    static void w(StringBuilder o, boolean v) { o.append(v ? "true" : "false"); }
    static void w(StringBuilder o, double v) {
        if (Double.isNaN(v)) o.append("NaN");
        else if (Double.isInfinite(v)) o.append(v > 0 ? "Infinity" : "-Infinity");
        else o.append(Double.toString(v));
    }
    static void w(StringBuilder o, String v) {
        if (v == null) { o.append("null"); return; }
        o.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') o.append('\\').append(c);
            else if (c < 0x20 || c >= 0x7f) o.append(String.format("\\u%04x", (int) c));
            else o.append(c);
        }
        o.append('"');
    }
__ARRAYS__
    // Large arrays (see BIG in lang_java.py): string constants of this class, decoded
    // once; a method's bytecode and the constant pool would not hold them as literals.
    static String join(String[] p) { StringBuilder b = new StringBuilder(); for (String s : p) b.append(s); return b.toString(); }
    static String[] nums(String s) { return s.isEmpty() ? new String[0] : s.split(",", -1); }
    static int[] ints(String... p) { String[] t = nums(join(p)); int[] a = new int[t.length]; for (int i = 0; i < t.length; i++) a[i] = Integer.parseInt(t[i]); return a; }
    static long[] longs(String... p) { String[] t = nums(join(p)); long[] a = new long[t.length]; for (int i = 0; i < t.length; i++) a[i] = Long.parseLong(t[i]); return a; }
    static double[] doubles(String... p) { String[] t = nums(join(p)); double[] a = new double[t.length]; for (int i = 0; i < t.length; i++) a[i] = Double.parseDouble(t[i]); return a; }
    static boolean[] bools(String... p) { String[] t = nums(join(p)); boolean[] a = new boolean[t.length]; for (int i = 0; i < t.length; i++) a[i] = t[i].equals("1"); return a; }
    static String[] strsAt(String s, int[] pos) {
        int bar = s.indexOf('|', pos[0]);
        String[] a = new String[Integer.parseInt(s.substring(pos[0], bar))];
        pos[0] = bar + 1;
        for (int i = 0; i < a.length; i++) {
            int colon = s.indexOf(':', pos[0]);
            int len = Integer.parseInt(s.substring(pos[0], colon));
            a[i] = s.substring(colon + 1, colon + 1 + len);
            pos[0] = colon + 1 + len;
        }
        return a;
    }
    static String[] strs(String... p) { return strsAt(join(p), new int[]{0}); }
    static String[] rows(String s) {
        int bar = s.indexOf('|');
        return Integer.parseInt(s.substring(0, bar)) == 0 ? new String[0] : s.substring(bar + 1).split(";", -1);
    }
    static int[][] ints2(String... p) { String[] r = rows(join(p)); int[][] a = new int[r.length][]; for (int i = 0; i < r.length; i++) a[i] = ints(r[i]); return a; }
    static long[][] longs2(String... p) { String[] r = rows(join(p)); long[][] a = new long[r.length][]; for (int i = 0; i < r.length; i++) a[i] = longs(r[i]); return a; }
    static double[][] doubles2(String... p) { String[] r = rows(join(p)); double[][] a = new double[r.length][]; for (int i = 0; i < r.length; i++) a[i] = doubles(r[i]); return a; }
    static boolean[][] bools2(String... p) { String[] r = rows(join(p)); boolean[][] a = new boolean[r.length][]; for (int i = 0; i < r.length; i++) a[i] = bools(r[i]); return a; }
    static String[][] strs2(String... p) {
        String s = join(p);
        int bar = s.indexOf('|');
        String[][] a = new String[Integer.parseInt(s.substring(0, bar))][];
        int[] pos = {bar + 1};
        for (int i = 0; i < a.length; i++) a[i] = strsAt(s, pos);
        return a;
    }
    static final class Capped extends java.io.OutputStream {
        final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        final int max; boolean cut;
        Capped(int max) { this.max = max; }
        @Override public synchronized void write(int b) {
            if (buf.size() < max) buf.write(b); else cut = true;
        }
        @Override public synchronized void write(byte[] b, int off, int len) {
            int room = Math.min(len, max - buf.size());
            if (room > 0) buf.write(b, off, room);
            if (room < len) cut = true;
        }
    }
    static String error(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        for (StackTraceElement f : e.getStackTrace()) {
            if ("Solution.java".equals(f.getFileName())) {
                s.append(" (Solution.java, line ").append(f.getLineNumber()).append(')');
                break;
            }
        }
        return s.toString();
    }
    public static void main(String[] argv) throws Exception {
        java.io.FileOutputStream real = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        java.io.PrintStream before = System.out;
        byte[] line = new byte[32];
        int n = System.in.read(line);
        int index = Integer.parseInt(new String(line, 0, Math.max(n, 0), "US-ASCII").trim());
        Capped capture = new Capped(__CR_MAX_PRINTS__);
        System.setOut(new java.io.PrintStream(capture, true, "UTF-8"));
        String kind = "err";
        String payload;
        try {
            payload = run(index);
            kind = "ok";
        } catch (Throwable e) {
            payload = error(e);
        }
        System.out.flush();
        before.flush();
        byte[] data = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] prints = capture.buf.toByteArray();
        String trailer = "\u0002CRFN1 " + kind + " " + data.length + " " + prints.length + " "
            + (capture.cut ? 1 : 0) + " " + us + "\n";
        real.write(data);
        real.write(prints);
        real.write(trailer.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        real.flush();
        Runtime.getRuntime().halt(0);
    }
"""


ARRAY_WRITER = (
    "    static void w(StringBuilder o, {t} a) {{\n"
    '        if (a == null) {{ o.append("null"); return; }}\n'
    "        o.append('[');\n"
    "        for (int i = 0; i < a.length; i++) {{ if (i > 0) o.append(','); w(o, a[i]); }}\n"
    "        o.append(']');\n    }}\n"
)


def _escape(code: int) -> str:
    # Octal for the control characters: javac would read \u000a as a line break.
    return f"\\{code:03o}" if code < 0x20 or code == 0x7F else utf16(code)


def java_string(text: str) -> str:
    return '"' + quote(map(ord, text), '"\\', _escape) + '"'


LITERALS = Scalars(
    java_string, int_min="(-2147483647-1)", long_min="(-9223372036854775807L-1L)", long_suffix="L"
)
scalar_literal = LITERALS.literal


# An array with more scalars than this is written as string constants decoded at run
# time (by the harness, from its own class: nothing the program could influence):
# as literals, 10 000 ints overflow the 64 KB of bytecode a method may have, and
# distinct large ints the 65 535 entries of the constant pool.
BIG = 1000
DECODER = {"int": "ints", "long": "longs", "double": "doubles", "bool": "bools", "string": "strs"}


def _size(value: Any, typ: Type) -> int:
    if not typ.dims:
        return 1 + (len(value) // 16 if typ.scalar == "string" else 0)
    return 1 + sum(_size(v, typ.element) for v in value)


def _compact(value: Any, typ: Type) -> str:
    """The decoders' format: numbers and bools comma-separated, rows "R|r0;r1;...",
    strings "N|" then "<UTF-16 length>:<chars>" each."""
    if typ.scalar == "string":
        if typ.dims == 1:
            return f"{len(value)}|" + "".join(
                f"{len(v.encode('utf-16-le')) // 2}:{v}" for v in value
            )
        return f"{len(value)}|" + "".join(_compact(row, typ.element) for row in value)
    if typ.dims == 2:
        return f"{len(value)}|" + ";".join(_compact(row, typ.element) for row in value)
    if typ.scalar == "bool":
        return ",".join("1" if v else "0" for v in value)
    if typ.scalar == "double":
        return ",".join(repr(float(v)) for v in value)
    return ",".join(str(v) for v in value)


def _big(value: Any, typ: Type) -> str:
    text = _compact(value, typ)
    # Each constant at most 65 535 bytes of modified UTF-8 (3 per char at worst).
    parts = [java_string(text[i : i + 20000]) for i in range(0, len(text), 20000)] or ['""']
    name = DECODER[typ.scalar] + ("2" if typ.dims == 2 else "")
    return f"{name}({', '.join(parts)})"


def literal(value: Any, typ: Type) -> str:
    if not typ.dims:
        return scalar_literal(value, typ.scalar)
    if _size(value, typ) > BIG:
        return _big(value, typ)
    inner = ",".join(_initializer(v, typ.element) for v in value)
    return f"new {JAVA_TYPES[typ.scalar]}{'[]' * typ.dims}{{{inner}}}"


def _initializer(value: Any, typ: Type) -> str:
    if not typ.dims:
        return scalar_literal(value, typ.scalar)
    return "{" + ",".join(_initializer(v, typ.element) for v in value) + "}"


def java_type(typ: Type) -> str:
    return JAVA_TYPES[typ.scalar] + "[]" * typ.dims


CASES = Cases(
    let="        {type} a{k} = {value};\n",
    case=(
        "    static String c{i}() throws Throwable {{\n{lets}"
        "        Solution s = new Solution();\n        start();\n"
        "        {returns} r;\n"
        "        try {{ r = s.{name}({call}); }} finally {{ stop(); }}\n"
        "        StringBuilder o = new StringBuilder();\n        w(o, r);\n"
        "        return o.toString();\n    }}\n"
    ),
    dispatch="            case {i}: return c{i}();\n",
    head="    static String run(int i) throws Throwable {\n        switch (i) {\n",
    tail=(
        '            default: throw new IllegalArgumentException("no case " + i);\n'
        "        }\n    }\n"
    ),
    type_name=java_type,
    literal=literal,
)


def files(code: str, job: FunctionJob, max_prints: int) -> dict[str, str]:
    methods, run = CASES.write(job)
    runtime = RUNTIME.replace("__ARRAYS__", array_writers(ARRAY_WRITER, java_type)).replace(
        "__CR_MAX_PRINTS__", str(max_prints)
    )
    main = (
        "// Function-test harness, generated by coderunner.\n"
        "public class Main {\n" + runtime + run + methods + "}\n"
    )
    return {"Main.java": main, "Solution.java": code}
