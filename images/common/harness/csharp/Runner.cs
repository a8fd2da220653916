// The NUnit runner of the unit-test harness (SPEC section 9): compiled with the
// submission, it finds the [TestFixture] classes and their [Test]/[TestCase]
// methods by reflection (in declaration order), runs them with their
// SetUp/TearDown methods and writes the line protocol.  nunit-console is not
// used: its output could not keep the program's prints apart.
//
// Streams: the protocol goes to the original stdout; Console.Out is swapped for
// a capped buffer, carried escaped into the protocol at each test's end.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using NUnit.Framework;

namespace CodeRunner
{
    public static class HarnessMain
    {
        const int OutputCap = 4096;
        static TextWriter proto;
        static StringWriter capture = new StringWriter();

        static string Esc(string s) { return (s ?? "").Replace("\n", "<:LF:>"); }
        static void Line(string tag, string text) { proto.Write("<" + tag + "::>" + Esc(text) + "\n"); proto.Flush(); }

        static void Drain()
        {
            Console.Out.Flush();
            var sb = capture.GetStringBuilder();
            if (sb.Length == 0) return;
            string s = sb.Length > OutputCap ? sb.ToString(0, OutputCap) + "\n[output truncated]\n" : sb.ToString();
            sb.Clear();
            Line("OUTPUT", s);
        }

        static bool Has<T>(MemberInfo m) where T : Attribute { return m.GetCustomAttributes(typeof(T), true).Length > 0; }

        static IEnumerable<MethodInfo> Methods(Type t)
        {
            return t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                    .OrderBy(m => m.MetadataToken);
        }

        static void Report(Exception e)
        {
            while (e is TargetInvocationException && e.InnerException != null) e = e.InnerException;
            if (e is SuccessException) Line("PASSED", e.Message);
            else if (e is IgnoreException || e is InconclusiveException) Line("PASSED", "ignored: " + e.Message);
            else if (e is AssertionException) Line("FAILED", e.Message.Trim());
            else Line("ERROR", e.GetType().FullName + ": " + e.Message + "\n" + e.StackTrace);
        }

        static void Invoke(MethodInfo m, object target, object[] args)
        {
            m.Invoke(m.IsStatic ? null : target, args);
        }

        static void RunTest(Type fixture, object instance, string name, MethodInfo m, object[] args)
        {
            Drain();
            Line("IT", name);
            var watch = Stopwatch.StartNew();
            try
            {
                foreach (var s in Methods(fixture).Where(x => Has<SetUpAttribute>(x))) Invoke(s, instance, null);
                Invoke(m, instance, args);
                Line("PASSED", "Test Passed");
            }
            catch (Exception e) { Report(e); }
            try
            {
                foreach (var s in Methods(fixture).Where(x => Has<TearDownAttribute>(x))) Invoke(s, instance, null);
            }
            catch (Exception e) { Report(e); }
            Drain();
            Line("COMPLETEDIN", watch.Elapsed.TotalMilliseconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        }

        static string Literal(object v)
        {
            if (v == null) return "null";
            if (v is string) return "\"" + v + "\"";
            if (v is bool) return (bool)v ? "true" : "false";
            return Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture);
        }

        public static int Main()
        {
            proto = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            Console.SetOut(capture);
            var fixtures = Assembly.GetExecutingAssembly().GetTypes()
                .Where(t => t.IsClass && !t.IsAbstract && (Has<TestFixtureAttribute>(t) ||
                       Methods(t).Any(m => Has<TestAttribute>(m) || Has<TestCaseAttribute>(m))))
                .OrderBy(t => t.MetadataToken);
            foreach (var fixture in fixtures)
            {
                Drain();
                Line("DESCRIBE", fixture.Name);
                var watch = Stopwatch.StartNew();
                object instance = null;
                try
                {
                    instance = Activator.CreateInstance(fixture);
                    foreach (var s in Methods(fixture).Where(x => Has<TestFixtureSetUpAttribute>(x))) Invoke(s, instance, null);
                    foreach (var m in Methods(fixture))
                    {
                        if (Has<IgnoreAttribute>(m)) continue;
                        var cases = (TestCaseAttribute[])m.GetCustomAttributes(typeof(TestCaseAttribute), true);
                        if (cases.Length > 0)
                        {
                            foreach (var c in cases)
                            {
                                string name = c.TestName ?? m.Name + "(" + string.Join(",", (c.Arguments ?? new object[0]).Select(Literal)) + ")";
                                RunTest(fixture, instance, name, m, c.Arguments);
                            }
                        }
                        else if (Has<TestAttribute>(m))
                        {
                            RunTest(fixture, instance, m.Name, m, null);
                        }
                    }
                    foreach (var s in Methods(fixture).Where(x => Has<TestFixtureTearDownAttribute>(x))) Invoke(s, instance, null);
                }
                catch (Exception e) { Report(e); }
                Drain();
                Line("COMPLETEDIN", watch.Elapsed.TotalMilliseconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            }
            Drain();
            Line("END", "");
            proto.Flush();
            Environment.Exit(0);
            return 0;
        }
    }
}
