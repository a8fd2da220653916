// The doctest runner of the unit-test harness (SPEC section 9), compiled once
// into the image (main.o); each submission is one translation unit of
// preloaded code, the user's code and the tests, linked against it.
//
// Descriptors: the protocol goes to a copy of the original stdout; fd 1 becomes
// the capture file /tmp/.cr-stdout, carried escaped into the protocol at each
// test case's end.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

int proto_fd = -1;
int capture_fd = -1;
const size_t kOutputCap = 4096;

std::string esc(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\n') out += "<:LF:>";
        else out += c;
    }
    return out;
}

void write_line(const std::string& line) {
    std::string data = line + "\n";
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
        ssize_t n = write(proto_fd, p, left);
        if (n <= 0) return;
        p += n;
        left -= size_t(n);
    }
}

void drain() {
    std::cout.flush();
    std::fflush(stdout);
    std::string data(kOutputCap + 1, '\0');
    ssize_t n = pread(capture_fd, &data[0], data.size(), 0);
    if (ftruncate(capture_fd, 0) != 0) {}
    if (n <= 0) return;
    data.resize(size_t(n));
    bool truncated = data.size() > kOutputCap;
    if (truncated) data.resize(kOutputCap);
    if (truncated) data += "\n[output truncated]\n";
    write_line("<OUTPUT::>" + esc(data));
}

struct CodeRunnerReporter : public doctest::IReporter {
    const doctest::TestCaseData* tc = nullptr;
    std::string suite;
    bool in_suite = false;
    bool errored = false;
    std::chrono::steady_clock::time_point start, suite_start;

    explicit CodeRunnerReporter(const doctest::ContextOptions&) {}

    static double ms_since(std::chrono::steady_clock::time_point t) {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
    }
    void close_suite() {
        if (!in_suite) return;
        drain();
        char buf[64];
        std::snprintf(buf, sizeof buf, "<COMPLETEDIN::>%.2f", ms_since(suite_start));
        write_line(buf);
        in_suite = false;
    }

    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override { close_suite(); }
    void test_case_start(const doctest::TestCaseData& in) override {
        tc = &in;
        std::string s = in.m_test_suite ? in.m_test_suite : "";
        if (!in_suite || s != suite) {
            close_suite();
            if (!s.empty()) {
                drain();
                write_line("<DESCRIBE::>" + esc(s));
                in_suite = true;
                suite_start = std::chrono::steady_clock::now();
            }
            suite = s;
        }
        drain();
        write_line("<IT::>" + esc(in.m_name));
        errored = false;
        start = std::chrono::steady_clock::now();
    }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& st) override {
        if (st.numAssertsFailedCurrentTest == 0 && !errored && st.testCaseSuccess)
            write_line("<PASSED::>Test Passed");
        else if (st.numAssertsFailedCurrentTest == 0 && !errored)
            write_line("<FAILED::>test case failed");
        drain();
        char buf[64];
        std::snprintf(buf, sizeof buf, "<COMPLETEDIN::>%.2f", ms_since(start));
        write_line(buf);
    }
    void test_case_exception(const doctest::TestCaseException& e) override {
        errored = true;
        std::string what = e.error_string.c_str();
        write_line("<ERROR::>" + esc((e.is_crash ? "crashed: " : "exception: ") + what));
        if (e.is_crash) drain();
    }
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData& a) override {
        if (!a.m_failed) return;
        std::string msg = std::string(a.m_file) + ":" + std::to_string(a.m_line) + ": " +
                          doctest::assertString(a.m_at) + "( " + a.m_expr + " ) is NOT correct!";
        if (a.m_threw) msg += "\n  threw exception: " + std::string(a.m_exception.c_str());
        else msg += "\n  values: " + std::string(doctest::assertString(a.m_at)) + "( " +
                    a.m_decomp.c_str() + " )";
        write_line("<FAILED::>" + esc(msg));
    }
    void log_message(const doctest::MessageData& m) override {
        if (m.m_severity & doctest::assertType::is_warn) return;
        write_line("<FAILED::>" + esc(std::string(m.m_file) + ":" + std::to_string(m.m_line) +
                                      ": " + m.m_string.c_str()));
    }
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_REPORTER("coderunner", 1, CodeRunnerReporter);

}  // namespace

int main(int argc, char** argv) {
    std::fflush(stdout);
    proto_fd = dup(1);
    fcntl(proto_fd, F_SETFD, FD_CLOEXEC);
    capture_fd = open("/tmp/.cr-stdout", O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (proto_fd < 0 || capture_fd < 0 || dup2(capture_fd, 1) < 0) {
        std::perror("coderunner harness");
        return 3;
    }
    doctest::Context ctx;
    ctx.applyCommandLine(argc, argv);
    ctx.setOption("reporters", "coderunner");
    ctx.setOption("order-by", "file");
    ctx.setOption("no-version", true);
    ctx.setOption("no-intro", true);
    ctx.setOption("no-breaks", true);
    int rc = ctx.run();
    (void)rc;   // failures are in the protocol; the exit status says the run ended normally
    drain();
    write_line("<END::>");
    return 0;
}
