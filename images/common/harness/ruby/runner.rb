# Runs a unit-test submission (SPEC section 9) with RSpec: preloaded.rb and
# source.rb are loaded at the top level, then RSpec runs solution_spec.rb with
# the formatter below, which writes the line protocol.
#
# Descriptors: the protocol goes to a copy of the original stdout; fd 1 (and
# $stdout) becomes the capture file /tmp/.cr-stdout, carried escaped into the
# protocol at each test's end.
$stdout.sync = true
CR_PROTO = IO.new(STDOUT.fileno).dup
CR_PROTO.sync = true
CR_CAPTURE = File.open("/tmp/.cr-stdout", File::RDWR | File::CREAT | File::TRUNC | File::APPEND, 0o600)
STDOUT.reopen(CR_CAPTURE)
STDOUT.sync = true
CR_OUTPUT_CAP = 4096

module CodeRunnerProtocol
  module_function

  def esc(text) = text.to_s.gsub("\n", "<:LF:>")

  def write(line)
    CR_PROTO.write(line.to_s.encode("UTF-8", invalid: :replace, undef: :replace) + "\n")
  end

  def drain
    $stdout.flush rescue nil
    STDOUT.flush rescue nil
    data = CR_CAPTURE.pread(CR_OUTPUT_CAP + 1, 0) rescue ""
    CR_CAPTURE.truncate(0)
    return if data.nil? || data.empty?
    text = data.byteslice(0, CR_OUTPUT_CAP).force_encoding("UTF-8").scrub
    text += "\n[output truncated]\n" if data.bytesize > CR_OUTPUT_CAP
    write("<OUTPUT::>" + esc(text))
  end

  def error_text(e)
    ([(e.message.empty? ? e.class.name : "#{e.class}: #{e.message}")] +
      (e.backtrace || []).reject { |l| l.include?("/rspec") }.first(10)).join("\n")
  end
end

require "stringio"
require "rspec/core"
require "rspec/expectations"

class CodeRunnerFormatter
  RSpec::Core::Formatters.register self, :example_group_started, :example_group_finished,
                                   :example_started, :example_passed, :example_failed,
                                   :example_pending

  P = CodeRunnerProtocol

  def initialize(_output)
    @groups = []
  end

  def example_group_started(n)
    P.drain
    P.write("<DESCRIBE::>" + P.esc(n.group.description))
    @groups.push(Process.clock_gettime(Process::CLOCK_MONOTONIC))
  end

  def example_group_finished(_n)
    P.drain
    P.write(format("<COMPLETEDIN::>%.2f", (Process.clock_gettime(Process::CLOCK_MONOTONIC) - @groups.pop) * 1000))
  end

  def example_started(n)
    P.drain
    P.write("<IT::>" + P.esc(n.example.description))
  end

  def example_passed(n)
    P.write("<PASSED::>Test Passed")
    finish(n)
  end

  def example_pending(n)
    P.write("<PASSED::>" + P.esc("pending: #{n.example.execution_result.pending_message}"))
    finish(n)
  end

  def example_failed(n)
    e = n.example.execution_result.exception
    if e.is_a?(RSpec::Expectations::ExpectationNotMetError) ||
       (defined?(RSpec::Expectations::MultipleExpectationsNotMetError) &&
        e.is_a?(RSpec::Expectations::MultipleExpectationsNotMetError))
      P.write("<FAILED::>" + P.esc(e.message.strip))
    else
      P.write("<ERROR::>" + P.esc(P.error_text(e)))
    end
    finish(n)
  end

  def finish(n)
    P.drain
    P.write(format("<COMPLETEDIN::>%.2f", (n.example.execution_result.run_time || 0) * 1000))
  end
end

begin
  load File.join(Dir.pwd, "preloaded.rb") if File.exist?("preloaded.rb")
  load File.join(Dir.pwd, "source.rb")
rescue Exception => e # rubocop:disable Lint/RescueException
  CodeRunnerProtocol.drain
  CodeRunnerProtocol.write("<ERROR::>" + CodeRunnerProtocol.esc(CodeRunnerProtocol.error_text(e)))
  exit!(1)
end

RSpec.configure do |c|
  c.color_mode = :off
  c.order = :defined
  c.formatter = CodeRunnerFormatter
end
# A load error of the spec file is reported by RSpec on its streams and makes
# it return non-zero with no example run: the runner then exits non-zero too.
err = StringIO.new
out = StringIO.new
code = RSpec::Core::Runner.run(["solution_spec.rb"], err, out)
CodeRunnerProtocol.drain
if RSpec.world.wants_to_quit || RSpec.world.rspec_is_quitting || (code != 0 && RSpec.world.example_count.zero?)
  report = (err.string + out.string).strip
  CodeRunnerProtocol.write("<ERROR::>" + CodeRunnerProtocol.esc(report.empty? ? "RSpec stopped" : report))
  $stderr.write(report)
  exit!(1)
end
CodeRunnerProtocol.write("<END::>")
exit!(0)
