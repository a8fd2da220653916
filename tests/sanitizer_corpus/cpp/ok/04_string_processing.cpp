#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

int main() {
    std::string line;
    std::map<std::string, int> freq;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string word;
        while (in >> word) {
            std::transform(word.begin(), word.end(), word.begin(), ::tolower);
            word.erase(std::remove_if(word.begin(), word.end(), [](char c) { return !isalpha(c); }),
                       word.end());
            if (!word.empty()) ++freq[word];
        }
    }
    std::vector<std::pair<int, std::string>> items;
    for (const auto &[w, c] : freq) items.emplace_back(-c, w);
    std::sort(items.begin(), items.end());
    for (size_t i = 0; i < items.size() && i < 10; ++i)
        std::cout << items[i].second << ' ' << -items[i].first << '\n';
}
