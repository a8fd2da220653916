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

from .request import FunctionJob
from .types import SCALARS, Type

JAVA_TYPES = {"int": "int", "long": "long", "double": "double", "bool": "boolean",
              "string": "String"}

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


def _arrays() -> str:
    out = []
    for scalar in SCALARS:
        jt = JAVA_TYPES[scalar]
        for dims in (1, 2):
            t = jt + "[]" * dims
            out.append(
                f"    static void w(StringBuilder o, {t} a) {{\n"
                f'        if (a == null) {{ o.append("null"); return; }}\n'
                f"        o.append('[');\n"
                f"        for (int i = 0; i < a.length; i++) {{ if (i > 0) o.append(','); w(o, a[i]); }}\n"
                f"        o.append(']');\n    }}\n"
            )
    return "".join(out)


def java_string(text: str) -> str:
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\{o:03o}")
        elif o < 0x7F:
            out.append(ch)
        else:
            units = ch.encode("utf-16-be")
            for k in range(0, len(units), 2):
                out.append(f"\\u{int.from_bytes(units[k:k + 2], 'big'):04x}")
    out.append('"')
    return "".join(out)


def scalar_literal(value: Any, scalar: str) -> str:
    if scalar == "int":
        return "(-2147483647-1)" if value == -(2**31) else str(value)
    if scalar == "long":
        return "(-9223372036854775807L-1L)" if value == -(2**63) else f"{value}L"
    if scalar == "double":
        return repr(float(value))
    if scalar == "bool":
        return "true" if value else "false"
    return java_string(value)


def literal(value: Any, typ: Type) -> str:
    if not typ.dims:
        return scalar_literal(value, typ.scalar)
    inner = ",".join(_initializer(v, typ.element) for v in value)
    return f"new {JAVA_TYPES[typ.scalar]}{'[]' * typ.dims}{{{inner}}}"


def _initializer(value: Any, typ: Type) -> str:
    if not typ.dims:
        return scalar_literal(value, typ.scalar)
    return "{" + ",".join(_initializer(v, typ.element) for v in value) + "}"


def java_type(typ: Type) -> str:
    return JAVA_TYPES[typ.scalar] + "[]" * typ.dims


def files(code: str, job: FunctionJob, max_prints: int) -> dict[str, str]:
    sig = job.signature
    methods, dispatch = [], []
    for i, case in enumerate(job.cases):
        lets = "".join(
            f"        {java_type(t)} a{k} = {literal(v, t)};\n"
            for k, (v, (_, t)) in enumerate(zip(case.args, sig.params, strict=True))
        )
        call = ", ".join(f"a{k}" for k in range(len(sig.params)))
        methods.append(
            f"    static String c{i}() throws Throwable {{\n{lets}"
            f"        Solution s = new Solution();\n        start();\n"
            f"        {java_type(sig.returns)} r;\n"
            f"        try {{ r = s.{sig.name}({call}); }} finally {{ stop(); }}\n"
            f"        StringBuilder o = new StringBuilder();\n        w(o, r);\n"
            f"        return o.toString();\n    }}\n"
        )
        dispatch.append(f"            case {i}: return c{i}();\n")
    run = (
        "    static String run(int i) throws Throwable {\n        switch (i) {\n"
        + "".join(dispatch)
        + '            default: throw new IllegalArgumentException("no case " + i);\n'
        "        }\n    }\n"
    )
    runtime = RUNTIME.replace("__ARRAYS__", _arrays()).replace(
        "__CR_MAX_PRINTS__", str(max_prints)
    )
    main = (
        "// Function-test harness, generated by coderunner.\n"
        "public class Main {\n" + runtime + run + "".join(methods) + "}\n"
    )
    return {"Main.java": main, "Solution.java": code}
