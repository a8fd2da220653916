// expect: 5:2 6:2
#include <filesystem>
namespace fs = std::filesystem;
int main() {
    fs::remove_all("/tmp/other");
    std::filesystem::remove("../output/testCaseLog");
}
