import sys


def main():
    data = sys.stdin.read().split()
    t = int(data[0])
    out = []
    idx = 1
    for _ in range(t):
        a, b = int(data[idx]), int(data[idx + 1])
        idx += 2
        out.append(str(a + b))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
