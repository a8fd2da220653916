import re
from collections import Counter

text = input().strip().lower()
words = re.findall(r"[a-z']+", text)
freq = Counter(words)
best = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
for word, count in best:
    print(f"{word} {count}")
palindromes = [w for w in set(words) if len(w) > 1 and w == w[::-1]]
print(" ".join(sorted(palindromes)) or "none")
print("".join(ch.upper() if i % 2 == 0 else ch for i, ch in enumerate(text.replace(" ", ""))))
