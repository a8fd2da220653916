import java.util.*;
import java.util.stream.*;

public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        long target = sc.nextLong();
        long[] a = IntStream.range(0, n).mapToLong(i -> sc.nextLong()).toArray();
        int left = 0, count = 0;
        long sum = 0;
        for (int right = 0; right < n; right++) {
            sum += a[right];
            while (sum > target) sum -= a[left++];
            if (sum == target) count++;
        }
        System.out.println(count);
        System.out.println(Arrays.stream(a).boxed().map(String::valueOf).collect(Collectors.joining(" ")));
        System.exit(0);
    }
}
