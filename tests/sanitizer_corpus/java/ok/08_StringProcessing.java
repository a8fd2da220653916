import java.util.*;
import java.util.stream.*;

public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        Map<String, Integer> freq = new TreeMap<>();
        while (sc.hasNext()) {
            String w = sc.next().toLowerCase().replaceAll("[^a-z]", "");
            if (!w.isEmpty()) freq.merge(w, 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(freq.entrySet());
        entries.sort((x, y) -> y.getValue() - x.getValue());
        System.out.println(entries.stream().limit(3)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        String longest = freq.keySet().stream().max(Comparator.comparingInt(String::length)).orElse("");
        System.out.println(new StringBuilder(longest).reverse());
    }
}
