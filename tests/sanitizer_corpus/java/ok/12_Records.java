import java.util.*;

public class Main {
    record Interval(int start, int end) implements Comparable<Interval> {
        public int compareTo(Interval o) {
            return start != o.start ? Integer.compare(start, o.start) : Integer.compare(end, o.end);
        }
    }

    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        List<Interval> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new Interval(sc.nextInt(), sc.nextInt()));
        Collections.sort(list);
        Deque<Interval> merged = new ArrayDeque<>();
        for (Interval cur : list) {
            if (!merged.isEmpty() && merged.peekLast().end() >= cur.start()) {
                Interval last = merged.pollLast();
                merged.addLast(new Interval(last.start(), Math.max(last.end(), cur.end())));
            } else merged.addLast(cur);
        }
        merged.forEach(iv -> System.out.println(iv.start() + " " + iv.end()));
    }
}
