"""Language conformance: every folder of images/ with a language.toml, through the real
server, real docker-handler.sh and real containers.

Per language: (1) its selftest.<ext> echoes multi-line stdin byte for byte, (2) a
program sums the integers on stdin (AC with expectedOutputs), (3) compiled
languages: a compile error is CE for every test with the compiler's message in
compilerErrors, (4) an uncaught runtime error is RE, (5) an endless loop is TLE.

A new language folder without programs in the tables below fails
test_every_language_has_programs: adding a language means adding its row here.
"""

from __future__ import annotations

import concurrent.futures
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import (
    REPO,
    RunningServer,
    start_module_server,
    unavailable,
    wait_for_selftests,
)

pytestmark = pytest.mark.docker

IMAGES = REPO / "images"
LANGUAGES = sorted(p.parent.name for p in IMAGES.glob("*/language.toml"))

ECHO_TESTS = [
    "line one\nline two\n\n  indented line  \n",
    "",
    "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e\ntab\there\nlast\n",
]
SUM_TESTS = ["1 2 3\n", "10\n20\n30\n40\n", "-5 5\n  100000000000  \n"]
SUM_EXPECTED = ["6\n", "100\n", "100000000000\n"]
TLE_LIMIT_MS = 1000

# (2) Print the sum of the whitespace-separated integers on stdin (64-bit values).
SUM: dict[str, str] = {
    "python": "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n",
    "c": (
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "    long long x, s = 0;\n"
        '    while (scanf("%lld", &x) == 1) s += x;\n'
        '    printf("%lld\\n", s);\n'
        "    return 0;\n"
        "}\n"
    ),
    "cpp": (
        "#include <iostream>\n"
        "int main() {\n"
        "    long long x, s = 0;\n"
        "    while (std::cin >> x) s += x;\n"
        "    std::cout << s << '\\n';\n"
        "}\n"
    ),
    "java": (
        "import java.io.*;\n"
        "import java.util.*;\n\n"
        "public class Main {\n"
        "    public static void main(String[] args) throws IOException {\n"
        "        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n"
        "        long s = 0;\n"
        "        String line;\n"
        "        while ((line = in.readLine()) != null) {\n"
        "            StringTokenizer st = new StringTokenizer(line);\n"
        "            while (st.hasMoreTokens()) s += Long.parseLong(st.nextToken());\n"
        "        }\n"
        "        System.out.println(s);\n"
        "    }\n"
        "}\n"
    ),
    "javascript": (
        'const data = require("fs").readFileSync(0, "utf8");\n'
        "let s = 0;\n"
        "for (const w of data.split(/\\s+/)) if (w) s += Number(w);\n"
        "console.log(String(s));\n"
    ),
    "typescript": (
        'import * as fs from "fs";\n\n'
        'const words: string[] = fs.readFileSync(0, "utf8").split(/\\s+/);\n'
        "const total: number = words.filter((w) => w.length > 0).map(Number)\n"
        "    .reduce((a, b) => a + b, 0);\n"
        "console.log(total);\n"
    ),
    "csharp": (
        "using System;\n\n"
        "class Program\n"
        "{\n"
        "    static void Main()\n"
        "    {\n"
        "        long s = 0;\n"
        "        foreach (string w in Console.In.ReadToEnd().Split((char[])null,\n"
        "                 StringSplitOptions.RemoveEmptyEntries))\n"
        "            s += long.Parse(w);\n"
        "        Console.WriteLine(s);\n"
        "    }\n"
        "}\n"
    ),
    "go": (
        "package main\n\n"
        'import (\n\t"bufio"\n\t"fmt"\n\t"os"\n\t"strconv"\n)\n\n'
        "func main() {\n"
        "\tsc := bufio.NewScanner(os.Stdin)\n"
        "\tsc.Split(bufio.ScanWords)\n"
        "\tvar s int64\n"
        "\tfor sc.Scan() {\n"
        "\t\tx, err := strconv.ParseInt(sc.Text(), 10, 64)\n"
        "\t\tif err != nil {\n\t\t\tpanic(err)\n\t\t}\n"
        "\t\ts += x\n"
        "\t}\n"
        "\tfmt.Println(s)\n"
        "}\n"
    ),
    "rust": (
        "use std::io::Read;\n\n"
        "fn main() {\n"
        "    let mut input = String::new();\n"
        "    std::io::stdin().read_to_string(&mut input).unwrap();\n"
        "    let s: i64 = input.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum();\n"
        '    println!("{}", s);\n'
        "}\n"
    ),
    "ruby": "puts $stdin.read.split.map(&:to_i).sum\n",
    "php": (
        "<?php\n"
        "$s = 0;\n"
        "$words = preg_split('/\\s+/', stream_get_contents(STDIN), -1, PREG_SPLIT_NO_EMPTY);\n"
        "foreach ($words as $w) {\n"
        "    $s += intval($w);\n"
        "}\n"
        'echo $s, "\\n";\n'
    ),
    "bash": (
        "s=0\n"
        "while read -r -a words; do\n"
        '    for w in "${words[@]}"; do s=$((s + w)); done\n'
        "done\n"
        'echo "$s"\n'
    ),
    "perl": (
        "use strict;\nuse warnings;\n\n"
        "my $s = 0;\n"
        "while (my $line = <STDIN>) {\n"
        "    $s += $_ for split ' ', $line;\n"
        "}\n"
        'print "$s\\n";\n'
    ),
    "lua": (
        "local s = 0\n"
        'for w in io.read("a"):gmatch("%S+") do s = s + math.tointeger(tonumber(w)) end\n'
        "print(s)\n"
    ),
    "haskell": (
        "main :: IO ()\n"
        'main = interact $ \\s -> show (sum (map read (words s) :: [Integer])) ++ "\\n"\n'
    ),
    "pascal": (
        "program sum;\n"
        "var\n"
        "  s, x: int64;\n"
        "begin\n"
        "  s := 0;\n"
        "  while not seekeof(input) do\n"
        "  begin\n"
        "    read(x);\n"
        "    s := s + x;\n"
        "  end;\n"
        "  writeln(s);\n"
        "end.\n"
    ),
    "fortran": (
        "program sum\n"
        "  implicit none\n"
        "  character(len=4096) :: line\n"
        "  integer :: ios, i, j, n\n"
        "  integer(kind=8) :: s, x\n"
        "  s = 0\n"
        "  do\n"
        "    read (*, '(A)', iostat=ios) line\n"
        "    if (ios /= 0) exit\n"
        "    n = len_trim(line)\n"
        "    i = 1\n"
        "    do while (i <= n)\n"
        "      if (line(i:i) == ' ') then\n"
        "        i = i + 1\n"
        "        cycle\n"
        "      end if\n"
        "      j = i\n"
        "      do while (j < n)\n"
        "        if (line(j+1:j+1) == ' ') exit\n"
        "        j = j + 1\n"
        "      end do\n"
        "      read (line(i:j), *) x\n"
        "      s = s + x\n"
        "      i = j + 1\n"
        "    end do\n"
        "  end do\n"
        "  print '(I0)', s\n"
        "end program sum\n"
    ),
    "kotlin": (
        "fun main() {\n"
        '    val words = System.`in`.bufferedReader().readText().split(Regex("\\\\s+"))\n'
        "    println(words.filter { it.isNotEmpty() }.map { it.toLong() }.sum())\n"
        "}\n"
    ),
    "r": (
        'x <- scan(file("stdin"), what = numeric(), quiet = TRUE)\n'
        'cat(format(sum(x), scientific = FALSE), "\\n", sep = "")\n'
    ),
    "ocaml": (
        "let () =\n"
        "  let s = ref 0 in\n"
        '  (try while true do Scanf.scanf " %d" (fun x -> s := !s + x) done\n'
        "   with End_of_file -> ());\n"
        '  Printf.printf "%d\\n" !s\n'
    ),
    "d": (
        "import std.stdio, std.algorithm, std.conv, std.array;\n\n"
        "void main()\n{\n"
        "    long s = 0;\n"
        "    foreach (line; stdin.byLine)\n"
        "        foreach (w; line.split)\n"
        "            s += w.to!long;\n"
        "    writeln(s);\n"
        "}\n"
    ),
    "nim": (
        "import std/strutils\n\n"
        "var s: int64 = 0\n"
        "for w in stdin.readAll().splitWhitespace():\n"
        "  s += parseBiggestInt(w)\n"
        "echo s\n"
    ),
    "elixir": (
        "IO.read(:stdio, :eof)\n"
        '|> then(fn :eof -> ""; data -> data end)\n'
        "|> String.split()\n"
        "|> Enum.map(&String.to_integer/1)\n"
        "|> Enum.sum()\n"
        "|> IO.puts()\n"
    ),
    "erlang": (
        "main(_) ->\n"
        "    Words = read_words([]),\n"
        '    io:format("~b~n", [lists:sum([binary_to_integer(W) || W <- Words])]).\n\n'
        "read_words(Acc) ->\n"
        '    case io:get_line("") of\n'
        "        eof -> Acc;\n"
        "        Line ->\n"
        '            Words = string:lexemes(string:trim(list_to_binary(Line)), " \\t"),\n'
        "            read_words(Acc ++ Words)\n"
        "    end.\n"
    ),
    "clojure": (
        "(require '[clojure.string :as str])\n\n"
        '(let [words (remove str/blank? (str/split (slurp *in*) #"\\s+"))]\n'
        "  (println (reduce + 0 (map #(Long/parseLong %) words))))\n"
    ),
    "scala": (
        "object Main {\n"
        "  def main(args: Array[String]): Unit = {\n"
        '    val words = scala.io.Source.stdin.mkString.split("\\\\s+").filter(_.nonEmpty)\n'
        "    println(words.map(_.toLong).sum)\n"
        "  }\n"
        "}\n"
    ),
    "groovy": (
        "def words = System.in.text.split(/\\s+/).findAll { it }\n"
        "println words.collect { it as long }.sum(0L)\n"
    ),
    "prolog": (
        ":- initialization(main, main).\n\n"
        "main :-\n"
        "    read_string(user_input, _, Text),\n"
        '    split_string(Text, " \\n\\t", " \\n\\t", Parts),\n'
        '    exclude(==(""), Parts, Words),\n'
        "    maplist(number_string, Numbers, Words),\n"
        "    sum_list(Numbers, Sum),\n"
        '    format("~d~n", [Sum]).\n'
    ),
    "scheme": (
        "(let loop ((sum 0))\n"
        "  (let ((x (read)))\n"
        "    (if (eof-object? x)\n"
        "        (begin (display sum) (newline))\n"
        "        (loop (+ sum x)))))\n"
    ),
    "racket": (
        "#lang racket\n\n"
        "(define words (string-split (port->string (current-input-port))))\n"
        "(displayln (apply + (map string->number words)))\n"
    ),
    "commonlisp": (
        "(loop for x = (read *standard-input* nil nil)\n"
        "      while x\n"
        "      sum x into total\n"
        '      finally (format t "~d~%" total))\n'
    ),
    "tcl": (
        "set s 0\n"
        "foreach w [regexp -all -inline {\\S+} [read stdin]] {\n"
        "    incr s $w\n"
        "}\n"
        "puts $s\n"
    ),
    "awk": '{ for (i = 1; i <= NF; i++) s += $i }\nEND { printf "%d\\n", s }\n',
    "sqlite": (
        "-- Split the input at blanks and newlines and add up the numbers.\n"
        "WITH RECURSIVE\n"
        "  t(s) AS (\n"
        "    SELECT replace(replace(data, char(10), ' '), char(9), ' ') || ' ' FROM stdin\n"
        "  ),\n"
        "  w(word, rest) AS (\n"
        "    SELECT '', s FROM t\n"
        "    UNION ALL\n"
        "    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)\n"
        "    FROM w WHERE rest <> ''\n"
        "  )\n"
        "SELECT coalesce(sum(CAST(word AS INTEGER)), 0) FROM w WHERE word <> '';\n"
    ),
    "octave": ("x = fscanf(stdin, '%ld');\nprintf('%d\\n', sum(int64(x)));\n"),
    "nasm": (
        "; Sums the signed integers on stdin; prints the sum and a newline.\n"
        "        global  _start\n\n"
        "        section .bss\n"
        "buf:    resb    65536\n"
        "out:    resb    32\n\n"
        "        section .text\n"
        "_start: xor     r12, r12                ; sum\n"
        "        xor     r13, r13                ; current number\n"
        "        xor     r14, r14                ; 1 while inside a number\n"
        "        xor     r15, r15                ; 1 if it is negative\n"
        ".read:  xor     eax, eax                ; read(0, buf, 65536)\n"
        "        xor     edi, edi\n"
        "        lea     rsi, [rel buf]\n"
        "        mov     edx, 65536\n"
        "        syscall\n"
        "        test    rax, rax\n"
        "        jle     .eof\n"
        "        lea     rsi, [rel buf]\n"
        "        lea     rbx, [rsi + rax]\n"
        ".next:  cmp     rsi, rbx\n"
        "        je      .read\n"
        "        movzx   eax, byte [rsi]\n"
        "        inc     rsi\n"
        "        cmp     al, '-'\n"
        "        je      .minus\n"
        "        sub     al, '0'\n"
        "        cmp     al, 9\n"
        "        ja      .blank\n"
        "        imul    r13, r13, 10\n"
        "        add     r13, rax\n"
        "        mov     r14, 1\n"
        "        jmp     .next\n"
        ".minus: mov     r15, 1\n"
        "        jmp     .next\n"
        ".blank: call    .add\n"
        "        jmp     .next\n"
        ".add:   test    r14, r14\n"
        "        jz      .clear\n"
        "        mov     rax, r13\n"
        "        test    r15, r15\n"
        "        jz      .ptr\n"
        "        neg     rax\n"
        ".ptr:   add     r12, rax\n"
        ".clear: xor     r13, r13\n"
        "        xor     r14, r14\n"
        "        xor     r15, r15\n"
        "        ret\n"
        ".eof:   call    .add\n"
        "        lea     rdi, [rel out + 31]     ; digits backwards from the end\n"
        "        mov     byte [rdi], 10\n"
        "        mov     rax, r12\n"
        "        test    rax, rax\n"
        "        jns     .digit\n"
        "        neg     rax\n"
        ".digit: xor     edx, edx\n"
        "        mov     ecx, 10\n"
        "        div     rcx\n"
        "        add     dl, '0'\n"
        "        dec     rdi\n"
        "        mov     [rdi], dl\n"
        "        test    rax, rax\n"
        "        jnz     .digit\n"
        "        test    r12, r12\n"
        "        jns     .print\n"
        "        dec     rdi\n"
        "        mov     byte [rdi], '-'\n"
        ".print: lea     rdx, [rel out + 32]\n"
        "        sub     rdx, rdi\n"
        "        mov     rsi, rdi\n"
        "        mov     eax, 1                  ; write(1, rsi, rdx)\n"
        "        mov     edi, 1\n"
        "        syscall\n"
        "        mov     eax, 60                 ; exit(0)\n"
        "        xor     edi, edi\n"
        "        syscall\n"
    ),
    "cobol": (
        "IDENTIFICATION DIVISION.\n"
        "PROGRAM-ID. sum.\n"
        "ENVIRONMENT DIVISION.\n"
        "INPUT-OUTPUT SECTION.\n"
        "FILE-CONTROL.\n"
        "    SELECT in-file ASSIGN TO KEYBOARD ORGANIZATION LINE SEQUENTIAL.\n"
        "DATA DIVISION.\n"
        "FILE SECTION.\n"
        "FD in-file.\n"
        "01 line-in   PIC X(4096).\n"
        "WORKING-STORAGE SECTION.\n"
        "01 word      PIC X(40).\n"
        "01 ptr       PIC 9(5).\n"
        "01 total     PIC S9(18) VALUE 0.\n"
        "01 shown     PIC -(18)9.\n"
        "01 eof       PIC X VALUE 'N'.\n"
        "PROCEDURE DIVISION.\n"
        "    OPEN INPUT in-file\n"
        "    PERFORM UNTIL eof = 'Y'\n"
        "        READ in-file\n"
        "            AT END MOVE 'Y' TO eof\n"
        "            NOT AT END PERFORM add-line\n"
        "        END-READ\n"
        "    END-PERFORM\n"
        "    CLOSE in-file\n"
        "    MOVE total TO shown\n"
        "    DISPLAY FUNCTION TRIM(shown)\n"
        "    STOP RUN.\n"
        "add-line.\n"
        "    MOVE 1 TO ptr\n"
        "    PERFORM UNTIL ptr > 4096\n"
        "        MOVE SPACES TO word\n"
        "        UNSTRING line-in DELIMITED BY ALL SPACES INTO word WITH POINTER ptr\n"
        "        IF word NOT = SPACES\n"
        "            ADD FUNCTION NUMVAL(word) TO total\n"
        "        END-IF\n"
        "    END-PERFORM.\n"
    ),
    "ada": (
        "with Ada.Text_IO;\n"
        "with Ada.Long_Long_Integer_Text_IO;\n\n"
        "procedure Sum is\n"
        "   X, S : Long_Long_Integer := 0;\n"
        "begin\n"
        "   while not Ada.Text_IO.End_Of_File loop\n"
        "      Ada.Long_Long_Integer_Text_IO.Get (X);\n"
        "      S := S + X;\n"
        "      --  Skip the blanks and line ends after a number.\n"
        "      declare\n"
        "         C   : Character;\n"
        "         EOL : Boolean;\n"
        "      begin\n"
        "         loop\n"
        "            exit when Ada.Text_IO.End_Of_File;\n"
        "            Ada.Text_IO.Look_Ahead (C, EOL);\n"
        "            if EOL then\n"
        "               Ada.Text_IO.Skip_Line;\n"
        "            elsif C = ' ' then\n"
        "               Ada.Text_IO.Get (C);\n"
        "            else\n"
        "               exit;\n"
        "            end if;\n"
        "         end loop;\n"
        "      end;\n"
        "   end loop;\n"
        "   Ada.Long_Long_Integer_Text_IO.Put (S, Width => 0);\n"
        "   Ada.Text_IO.New_Line;\n"
        "end Sum;\n"
    ),
    "objc": (
        "#import <objc/Object.h>\n"
        "#include <stdio.h>\n\n"
        "@interface Adder : Object\n"
        "+ (long long)sumOf:(FILE *)input;\n"
        "@end\n\n"
        "@implementation Adder\n"
        "+ (long long)sumOf:(FILE *)input\n"
        "{\n"
        "    long long x, s = 0;\n"
        '    while (fscanf(input, "%lld", &x) == 1)\n'
        "        s += x;\n"
        "    return s;\n"
        "}\n"
        "@end\n\n"
        "int main(void)\n"
        "{\n"
        '    printf("%lld\\n", [Adder sumOf:stdin]);\n'
        "    return 0;\n"
        "}\n"
    ),
    "forth": (
        "\\ Adds up the numbers on stdin, line by line.\n"
        "create line 4096 allot\n"
        "variable total\n"
        ": parse-int ( addr u -- n true | false )\n"
        "    over c@ [char] - = dup >r if 1 /string then\n"
        "    0. 2swap >number nip nip if r> 2drop false exit then\n"
        "    r> if negate then true ;\n"
        ": add-words ( addr u -- )\n"
        "    begin\n"
        "        bl skip dup while\n"
        "        2dup bl scan 2swap 2 pick - parse-int if total +! then\n"
        "    repeat 2drop ;\n"
        ": main ( -- )\n"
        "    0 total !\n"
        "    begin line 4096 stdin read-line throw while\n"
        "        line swap add-words\n"
        "    repeat drop\n"
        "    total @ 0 .r cr ;\n"
        "main\n"
    ),
    "crystal": "puts STDIN.gets_to_end.split.sum(0_i64) { |w| w.to_i64 }\n",
    "pypy": "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n",
    "raku": "say [+] $*IN.slurp.words;\n",
}

# (3) Compiled languages: refers to an undefined name, which the message must quote.
COMPILE_ERROR: dict[str, str] = {
    "c": "int main(void) { return undefined_thing; }\n",
    "cpp": "int main() { return undefined_thing; }\n",
    "java": (
        "public class Main {\n"
        "    public static void main(String[] args) { System.out.println(undefined_thing); }\n"
        "}\n"
    ),
    "typescript": "console.log(undefined_thing);\n",
    "csharp": (
        "class Program\n{\n"
        "    static void Main() { System.Console.WriteLine(undefined_thing); }\n"
        "}\n"
    ),
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(undefined_thing)\n}\n',
    "rust": 'fn main() {\n    println!("{}", undefined_thing);\n}\n',
    "haskell": "main :: IO ()\nmain = print undefined_thing\n",
    "pascal": "program ce;\nbegin\n  writeln(undefined_thing);\nend.\n",
    "fortran": "program ce\n  implicit none\n  print *, undefined_thing\nend program ce\n",
    "kotlin": "fun main() {\n    println(undefined_thing)\n}\n",
    "ocaml": "let () = print_int undefined_thing\n",
    "d": "void main()\n{\n    int x = undefined_thing;\n}\n",
    "nim": "echo undefined_thing\n",
    "erlang": 'main(_) ->\n    io:format("~p~n", [undefined_thing()]).\n',
    "scala": "object Main {\n  def main(args: Array[String]): Unit = println(undefined_thing)\n}\n",
    "nasm": "        global  _start\n        section .text\n_start: jmp     undefined_thing\n",
    "cobol": (
        "IDENTIFICATION DIVISION.\nPROGRAM-ID. ce.\nPROCEDURE DIVISION.\n"
        "    DISPLAY undefined_thing\n    STOP RUN.\n"
    ),
    "ada": (
        "with Ada.Text_IO;\n\nprocedure Ce is\nbegin\n"
        "   Ada.Text_IO.Put_Line (undefined_thing);\nend Ce;\n"
    ),
    "objc": "int main(void) { return undefined_thing; }\n",
    "crystal": "puts undefined_thing\n",
}

# (4) An uncaught error (exception, panic, failed division, error stop) at run time.
RUNTIME_ERROR: dict[str, str] = {
    "python": "raise ValueError('boom')\n",
    "c": "int main(void) { volatile int zero = 0; return 7 / zero; }\n",
    "cpp": '#include <stdexcept>\nint main() { throw std::runtime_error("boom"); }\n',
    "java": (
        "public class Main {\n"
        '    public static void main(String[] args) { throw new RuntimeException("boom"); }\n'
        "}\n"
    ),
    "javascript": 'throw new Error("boom");\n',
    "typescript": (
        'const fail = (why: string): never => {\n    throw new Error(why);\n};\nfail("boom");\n'
    ),
    "csharp": (
        "class Program\n{\n"
        '    static void Main() { throw new System.InvalidOperationException("boom"); }\n'
        "}\n"
    ),
    "go": 'package main\n\nfunc main() {\n\tpanic("boom")\n}\n',
    "rust": 'fn main() {\n    panic!("boom");\n}\n',
    "ruby": 'raise "boom"\n',
    "php": '<?php\nthrow new Exception("boom");\n',
    "bash": "echo boom >&2\nexit 3\n",
    "perl": 'die "boom\\n";\n',
    "lua": 'error("boom")\n',
    "haskell": 'main :: IO ()\nmain = error "boom"\n',
    "pascal": (
        "program re;\nvar\n  a, b: integer;\nbegin\n"
        "  a := 1;\n  b := 0;\n  writeln(a div b);\nend.\n"
    ),
    "fortran": "program re\n  implicit none\n  error stop 3\nend program re\n",
    "kotlin": 'fun main() {\n    throw IllegalStateException("boom")\n}\n',
    "r": 'stop("boom")\n',
    "ocaml": 'let () = failwith "boom"\n',
    "d": 'void main()\n{\n    throw new Exception("boom");\n}\n',
    "nim": 'raise newException(ValueError, "boom")\n',
    "elixir": 'raise "boom"\n',
    "erlang": "main(_) ->\n    erlang:error(boom).\n",
    "clojure": '(throw (ex-info "boom" {}))\n',
    "scala": (
        "object Main {\n"
        '  def main(args: Array[String]): Unit = throw new RuntimeException("boom")\n'
        "}\n"
    ),
    "groovy": 'throw new RuntimeException("boom")\n',
    "prolog": ":- initialization(main, main).\n\nmain :- throw(boom).\n",
    "scheme": '(error "boom")\n',
    "racket": '#lang racket/base\n(error "boom")\n',
    "commonlisp": '(error "boom")\n',
    "tcl": 'error "boom"\n',
    "awk": "BEGIN { zero = 0; print 1 / zero }\n",
    "sqlite": "SELECT json('boom');\n",
    "octave": "error('boom');\n",
    "nasm": (
        "; Writes to address 0: SIGSEGV.\n"
        "        global  _start\n        section .text\n"
        "_start: mov     qword [0], 1\n"
    ),
    "cobol": (
        "IDENTIFICATION DIVISION.\nPROGRAM-ID. re.\nPROCEDURE DIVISION.\n"
        '    DISPLAY "boom" UPON SYSERR\n    STOP RUN RETURNING 3.\n'
    ),
    "ada": "procedure Re is\nbegin\n   raise Program_Error;\nend Re;\n",
    "objc": "#include <stdlib.h>\nint main(void) { abort(); }\n",
    "forth": 's" boom" exception throw\n',
    "crystal": 'raise "boom"\n',
    "pypy": "raise ValueError('boom')\n",
    "raku": 'die "boom";\n',
}

# (5) Never ends; must be stopped at the CPU time limit.
ENDLESS: dict[str, str] = {
    "python": "while True:\n    pass\n",
    "c": "int main(void) { for (;;) {} }\n",
    "cpp": "int main() { volatile unsigned long n = 0; for (;;) ++n; }\n",
    "java": (
        "public class Main {\n    public static void main(String[] args) { while (true) {} }\n}\n"
    ),
    "javascript": "for (;;) {}\n",
    "typescript": "let n: number = 0;\nfor (;;) { n++; }\n",
    "csharp": "class Program\n{\n    static void Main() { while (true) {} }\n}\n",
    "go": "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n",
    "rust": "fn main() {\n    loop {}\n}\n",
    "ruby": "loop {}\n",
    "php": "<?php\nwhile (true) {}\n",
    "bash": "while :; do :; done\n",
    "perl": "1 while 1;\n",
    "lua": "while true do end\n",
    "haskell": (
        "main :: IO ()\nmain = print (go 0)\n  where\n    go :: Int -> Int\n    go n = go (n + 1)\n"
    ),
    "pascal": "program endless;\nbegin\n  while true do ;\nend.\n",
    "fortran": (
        "program endless\n  implicit none\n  integer, volatile :: n\n"
        "  n = 0\n  do\n    n = n + 1\n  end do\nend program endless\n"
    ),
    "kotlin": "fun main() {\n    while (true) {}\n}\n",
    "r": "repeat {}\n",
    "ocaml": "let rec loop () = loop ()\nlet () = loop ()\n",
    "d": "void main()\n{\n    for (;;) {}\n}\n",
    "nim": "var n = 0\nwhile true:\n  inc n\n",
    "elixir": "defmodule Spin do\n  def loop(n), do: loop(n + 1)\nend\n\nSpin.loop(0)\n",
    "erlang": "main(_) ->\n    loop(0).\n\nloop(N) ->\n    loop(N + 1).\n",
    "clojure": "(loop [n 0] (recur (inc n)))\n",
    "scala": "object Main {\n  def main(args: Array[String]): Unit = while (true) {}\n}\n",
    "groovy": "while (true) {}\n",
    "prolog": ":- initialization(main, main).\n\nmain :- repeat, fail.\n",
    "scheme": "(let loop () (loop))\n",
    "racket": "#lang racket/base\n(let loop () (loop))\n",
    "commonlisp": "(loop)\n",
    "tcl": "while 1 {}\n",
    "awk": "BEGIN { while (1) {} }\n",
    "sqlite": (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)\nSELECT count(*) FROM c;\n"
    ),
    "octave": "while true\nend\n",
    "nasm": "        global  _start\n        section .text\n_start: jmp     _start\n",
    "cobol": (
        "IDENTIFICATION DIVISION.\nPROGRAM-ID. endless.\nPROCEDURE DIVISION.\n"
        "    PERFORM FOREVER\n        CONTINUE\n    END-PERFORM.\n"
    ),
    "ada": "procedure Endless is\nbegin\n   loop\n      null;\n   end loop;\nend Endless;\n",
    "objc": "int main(void) { volatile long n = 0; for (;;) ++n; }\n",
    "forth": ": spin begin again ;\nspin\n",
    "crystal": "n = 0_u64\nloop { n &+= 1 }\n",
    "pypy": "while True:\n    pass\n",
    "raku": "loop { }\n",
}


# The echo and sum cases' time limit: 5 s of CPU per test, 11 s of wall clock.
SLOW_OK_MS = 5000


@cache
def toml(lang: str) -> dict[str, Any]:
    return tomllib.loads((IMAGES / lang / "language.toml").read_text(encoding="utf-8"))


def selftest(lang: str) -> str:
    path = IMAGES / lang / f"selftest.{toml(lang)['extension']}"
    return path.read_text(encoding="utf-8")


def requests_for(lang: str) -> dict[str, dict[str, Any]]:
    """The conformance requests of one language, by case."""
    cases: dict[str, dict[str, Any]] = {
        # Correctness, not speed (the endless case tests the limit): a heavy runtime's
        # start can share the 2 cores with that case's busy loop, on a loaded machine.
        "echo": {"code": selftest(lang), "testCases": ECHO_TESTS, "timeLimitMs": SLOW_OK_MS},
        "sum": {
            "code": SUM[lang],
            "testCases": SUM_TESTS,
            "expectedOutputs": SUM_EXPECTED,
            "timeLimitMs": SLOW_OK_MS,
        },
        "runtime_error": {"code": RUNTIME_ERROR[lang], "testCases": [""]},
        "endless": {"code": ENDLESS[lang], "testCases": [""], "timeLimitMs": TLE_LIMIT_MS},
    }
    if lang in COMPILE_ERROR:
        cases["compile_error"] = {"code": COMPILE_ERROR[lang], "testCases": ["1\n", "2\n"]}
    for body in cases.values():
        body["language"] = lang
    return cases


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, docker_ready: None) -> Iterator[RunningServer]:
    """A server that starts as the deployed one does: every language's self-test first.

    That first run also reads the image's files into the page cache. Without it, a
    large runtime whose files are not cached spends seconds of wall clock on disk reads
    before the program starts: racket 7.7 s and octave 14.8 s, against 0.5 s and 0.1 s
    once cached (measured after dropping the caches). The first test can then exceed
    its wall limit (TLE), and a later test of the same request passes.
    """
    root: Path = tmp_path_factory.mktemp("languages")
    running = start_module_server(root, docker={"selftest_at_start": True})
    try:
        wait_for_selftests(running, len(running.state.lifecycle.languages), timeout=900)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def available(server: RunningServer) -> dict[str, dict[str, Any]]:
    """The languages the server offers: those whose image is built."""
    with server.client() as client:
        resp = client.get("/languages")
    assert resp.status_code == 200, resp.text
    return {lang["id"]: lang for lang in resp.json()}


class Outcomes:
    """Answers per language and case.  A language's requests are sent together on
    first use, so the server's two container slots are both busy; each test then
    checks its own answer."""

    def __init__(self, server: RunningServer, available: dict[str, dict[str, Any]]) -> None:
        self.server = server
        self.available = available
        self.answers: dict[str, dict[str, httpx.Response]] = {}

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        with self.server.client() as client:
            return client.post("/isolatedTest", json=body)

    def get(self, lang: str, case: str) -> Any:
        if lang not in self.available:
            problem = f"image coderunner/{lang} is not built (images/build.sh {lang})"
            unavailable(problem)
        if lang not in self.answers:
            cases = requests_for(lang)
            with concurrent.futures.ThreadPoolExecutor(len(cases)) as pool:
                futures = {name: pool.submit(self._post, body) for name, body in cases.items()}
                self.answers[lang] = {name: f.result() for name, f in futures.items()}
        resp = self.answers[lang][case]
        assert resp.status_code == 200, resp.text
        body = resp.json()
        n = len(requests_for(lang)[case]["testCases"])
        for key in ("stdout", "stderr", "timestamps", "results"):
            assert len(body[key]) == n, key
        return body


@pytest.fixture(scope="module")
def outcomes(server: RunningServer, available: dict[str, dict[str, Any]]) -> Outcomes:
    return Outcomes(server, available)


def statuses(body: Any) -> list[str]:
    return [r["status"] for r in body["results"]]


def explain(body: Any) -> str:
    """What to print when an assertion fails: enough to see what the toolchain said."""
    return (
        f"statuses={statuses(body)} compilerErrors={body['compilerErrors'][-2000:]!r} "
        f"stdout={[s[-300:] for s in body['stdout']]!r} "
        f"stderr={[s[-1000:] for s in body['stderr']]!r}"
    )


def test_every_language_has_programs() -> None:
    assert {"python", "c", "cpp"} <= set(LANGUAGES)
    for table in (SUM, RUNTIME_ERROR, ENDLESS):
        assert set(table) == set(LANGUAGES), set(LANGUAGES) ^ set(table)
    compiled = {lang for lang in LANGUAGES if toml(lang).get("compile")}
    assert set(COMPILE_ERROR) == compiled, set(COMPILE_ERROR) ^ compiled
    for lang in LANGUAGES:
        assert toml(lang)["id"] == lang
        assert (IMAGES / lang / f"selftest.{toml(lang)['extension']}").is_file(), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_listed_with_version(available: dict[str, dict[str, Any]], lang: str) -> None:
    if lang not in available:
        problem = f"image coderunner/{lang} is not built (images/build.sh {lang})"
        unavailable(problem)
    entry = available[lang]
    assert entry["extension"] == toml(lang)["extension"]
    assert entry["compiled"] is bool(toml(lang).get("compile"))
    assert any(ch.isdigit() for ch in entry["version"]), entry


@pytest.mark.parametrize("lang", LANGUAGES)
def test_selftest_echoes_stdin(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "echo")
    assert statuses(body) == ["OK"] * len(ECHO_TESTS), explain(body)
    assert body["stdout"] == ECHO_TESTS, explain(body)
    assert body["compilerErrors"] == ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sum_of_numbers(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "sum")
    assert statuses(body) == ["AC"] * len(SUM_TESTS), explain(body)
    assert body["stdout"] == SUM_EXPECTED, explain(body)


@pytest.mark.parametrize("lang", sorted(COMPILE_ERROR))
def test_compile_error_is_ce(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "compile_error")
    assert statuses(body) == ["CE", "CE"], explain(body)
    assert "undefined_thing" in body["compilerErrors"], explain(body)
    assert body["stdout"] == ["", ""]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_runtime_error_is_re(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "runtime_error")
    assert statuses(body) == ["RE"], explain(body)
    result = body["results"][0]
    assert result["exitCode"] != 0 or result["signal"] is not None, result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_endless_loop_is_tle(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "endless")
    assert statuses(body) == ["TLE"], explain(body)
    assert body["results"][0]["timeMs"] >= 0.8 * TLE_LIMIT_MS, body["results"][0]
