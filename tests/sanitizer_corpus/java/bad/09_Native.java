// expect: 3:3 5:3
public class Main {
    static native int evil(int x);
    public static void main(String[] args) {
        System.loadLibrary("evil");
        System.out.println(evil(1));
    }
}
