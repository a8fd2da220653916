package PACKAGE

// The go test runner of the unit-test harness (SPEC section 9), added to the
// submission's package by build.sh.  TestMain wraps every test function of
// the package (testing.M keeps them in an unexported field: reached through
// reflect+unsafe, the only way to hook each test without a custom test main),
// runs them with m.Run and writes the line protocol around each.
//
// Descriptors: the protocol goes to a copy of the original stdout; fd 1 (and
// os.Stdout) becomes the capture file /tmp/.cr-stdout, carried escaped into
// the protocol at each test's end.  testing's own report goes nowhere: the
// wrapper reads a test's log (t.Error & co.) from the T itself.

import (
	crfmt "fmt"
	cros "os"
	crreflect "reflect"
	crstrings "strings"
	crsyscall "syscall"
	crtesting "testing"
	crtime "time"
	crunsafe "unsafe"
	crdebug "runtime/debug"
)

const crOutputCap = 4096

var crProto *cros.File
var crCapture *cros.File

func crEsc(s string) string { return crstrings.ReplaceAll(s, "\n", "<:LF:>") }

func crLine(tag, text string) {
	crProto.WriteString("<" + tag + "::>" + crEsc(text) + "\n")
}

func crDrain() {
	buf := make([]byte, crOutputCap+1)
	n, _ := crCapture.ReadAt(buf, 0)
	crCapture.Truncate(0)
	if n <= 0 {
		return
	}
	text := string(buf[:n])
	if n > crOutputCap {
		text = string(buf[:crOutputCap]) + "\n[output truncated]\n"
	}
	crLine("OUTPUT", text)
}

// crLog is what the test logged (t.Log, t.Error, t.Fatal), as testing keeps it.
func crLog(t *crtesting.T) string {
	defer func() { recover() }()
	v := crreflect.ValueOf(t).Elem().FieldByName("common").FieldByName("output")
	if !v.IsValid() {
		return ""
	}
	b := *(*[]byte)(crunsafe.Pointer(v.UnsafeAddr()))
	lines := crstrings.Split(crstrings.TrimRight(string(b), "\n"), "\n")
	for i, l := range lines {
		lines[i] = crstrings.TrimPrefix(l, "    ")
	}
	return crstrings.Join(lines, "\n")
}

func crWrap(name string, f func(*crtesting.T)) func(*crtesting.T) {
	return func(t *crtesting.T) {
		cros.Stdout = crUser
		crDrain()
		crLine("IT", name)
		start := crtime.Now()
		panicked := false
		defer func() {
			if r := recover(); r != nil {
				panicked = true
				crLine("ERROR", crfmt.Sprintf("panic: %v\n%s", r, crdebug.Stack()))
				t.Fail()
			}
			msg := crLog(t)
			switch {
			case panicked:
				if msg != "" {
					crLine("FAILED", msg)
				}
			case t.Failed():
				if msg == "" {
					msg = "test failed"
				}
				crLine("FAILED", msg)
			case t.Skipped():
				crLine("PASSED", "skipped: "+msg)
			default:
				crLine("PASSED", "Test Passed")
			}
			crDrain()
			cros.Stdout = crDevNull
			crLine("COMPLETEDIN", crfmt.Sprintf("%.2f", float64(crtime.Since(start).Microseconds())/1000))
		}()
		f(t)
	}
}

func TestMain(m *crtesting.M) {
	fd, err := crsyscall.Dup(1)
	if err != nil {
		panic(err)
	}
	crsyscall.CloseOnExec(fd)
	crProto = cros.NewFile(uintptr(fd), "protocol")
	crCapture, err = cros.OpenFile("/tmp/.cr-stdout", cros.O_RDWR|cros.O_CREATE|cros.O_TRUNC|cros.O_APPEND, 0o600)
	if err != nil {
		panic(err)
	}
	if err := crsyscall.Dup2(int(crCapture.Fd()), 1); err != nil {
		panic(err)
	}
	crDevNull, _ = cros.OpenFile(cros.DevNull, cros.O_WRONLY, 0)
	user := cros.Stdout
	cros.Stdout = crDevNull // testing's report, taken when m.Run starts
	field := crreflect.ValueOf(m).Elem().FieldByName("tests")
	tests := *(*[]crtesting.InternalTest)(crunsafe.Pointer(field.UnsafeAddr()))
	for i := range tests {
		tests[i].F = crWrap(tests[i].Name, tests[i].F)
	}
	crUser = user
	m.Run()
	cros.Stdout = user
	crDrain()
	crLine("END", "")
	cros.Exit(0)
}

// The user's stdout: os.Stdout while a test runs (testing took /dev/null as
// its report stream when m.Run started, and prints its PASS/FAIL there too).
var crUser *cros.File
var crDevNull *cros.File
