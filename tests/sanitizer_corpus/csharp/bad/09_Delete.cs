// expect: 4:2
class Program {
    static void Main() {
        System.IO.File.Delete("../output/testCaseLog");
    }
}
